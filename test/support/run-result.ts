import type {
  EndpointStats,
  HttpSample,
  RunResult,
  StageResult,
} from '../../src/model/run-result.js';

/** Builders of plain RunResult data for unit tests of gate, diagnose and report. */
export function endpoint(overrides: Partial<EndpointStats> & { name: string }): EndpointStats {
  const requests = overrides.requests ?? 100;
  return {
    method: overrides.name.split(' ')[0] ?? 'GET',
    requests,
    failures: 0,
    latency: { min: 2, max: 80, mean: 20, p50: 18, p90: 40, p95: 50, p99: 70 },
    bytesReceived: requests * 100,
    bytesSent: requests * 50,
    rps: requests / 10,
    failuresPerSecond: 0,
    statusCodes: { '200': requests },
    errors: [],
    ...overrides,
  };
}

export function stage(
  name: 'smoke' | 'ramp',
  endpoints: EndpointStats[],
  overrides: Partial<StageResult> = {},
): StageResult {
  const total = endpoint({
    name: 'Aggregated',
    method: '',
    requests: endpoints.reduce((s, e) => s + e.requests, 0),
    failures: endpoints.reduce((s, e) => s + e.failures, 0),
    latency: endpoints[0]?.latency ?? { min: 0, max: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0 },
    ...(endpoints[0]?.quantiles ? { quantiles: endpoints[0].quantiles } : {}),
    statusCodes: Object.assign({}, ...endpoints.map((e) => e.statusCodes)),
    errors: endpoints.flatMap((e) => e.errors),
  });
  return {
    name,
    status: 'completed',
    users: name === 'smoke' ? 1 : 300,
    peakUsers: name === 'smoke' ? 1 : 300,
    startedAt: '2026-11-23T00:00:00.000Z',
    durationMs: 10_000,
    endpoints,
    total,
    timeline: [],
    ...overrides,
  };
}

export function run(stages: StageResult[]): RunResult {
  return {
    engine: 'builtin',
    startedAt: '2026-11-23T00:00:00.000Z',
    durationMs: 20_000,
    stages,
    generator: { cpuPercent: 30, maxEventLoopLagMs: 5 },
  };
}

/** The seed's signature: every POST /token answered 422 because the body was JSON. */
export function seedFailure(): RunResult {
  const body =
    '{"detail":[{"type":"missing","loc":["body","username"],"msg":"Field required","input":null},{"type":"missing","loc":["body","password"],"msg":"Field required","input":null}]}';
  const token = endpoint({
    name: 'POST /token',
    requests: 1,
    failures: 1,
    statusCodes: { '422': 1 },
    latency: { min: 5, max: 5, mean: 5, p50: 5, p90: 5, p95: 5, p99: 5 },
    errors: [
      {
        message: 'HTTP 422',
        status: 422,
        count: 1,
        sample: {
          request: {
            method: 'POST',
            url: 'http://127.0.0.1:8000/token',
            headers: { 'content-type': 'application/json' },
            body: '{"username":"demo","password":"[REDACTED]"}',
          },
          response: {
            status: 422,
            headers: { 'content-type': 'application/json' },
            body,
            truncated: false,
          },
        },
      },
    ],
  });
  const smoke = stage('smoke', [token], { status: 'completed' });
  const reasonFact = {
    kind: 'smoke-failed' as const,
    failures: 1,
    requests: 1,
    firstError: 'HTTP 422',
  };
  const ramp = stage('ramp', [], {
    status: 'skipped',
    reasonFact,
    peakUsers: 0,
  });
  return run([smoke, ramp]);
}

/** An endpoint whose every request (`count`) was refused with `status`: one error group, its sample. */
export function refusedEndpoint(
  name: string,
  status: number,
  sample: HttpSample,
  count = 1,
): EndpointStats {
  return endpoint({
    name,
    requests: count,
    failures: count,
    statusCodes: { [String(status)]: count },
    errors: [{ message: `HTTP ${status}`, status, count, sample }],
  });
}
