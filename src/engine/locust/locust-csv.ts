import { parseCsv } from '../../config/data-file.js';
import type {
  EndpointStats,
  ErrorGroup,
  ErrorKind,
  HttpSample,
  StageResult,
  TimelinePoint,
} from '../../model/run-result.js';
import { buildSample, SAMPLE_BYTES } from '../builtin/sample.js';
import { caughtErrorKind, locustErrorKind } from './locust-error-kind.js';

/**
 * What loadgate's launcher recorded beside Locust's statistics (merged over the processes that
 * sent requests): every status code per endpoint, and the first failing exchange per endpoint
 * and error, unredacted (the sample is redacted here, like the built-in engine's).
 */
export interface LocustEvidence {
  statuses: { method: string; name: string; status: number; count: number }[];
  samples: {
    method: string;
    name: string;
    /** Locust's error string, as in its failures CSV. */
    error: string;
    errorClass: string;
    errorText: string;
    request: { method: string; url: string; headers: Record<string, string>; body: string | null };
    response: {
      status: number;
      headers: Record<string, string>;
      body: string;
      truncated: boolean;
    } | null;
  }[];
}

const num = (value: string | undefined) => {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
};
const round = (n: number) => Math.round(n * 100) / 100;

/**
 * A Locust failure string as loadgate's error group: `HTTP 422` with the status, its kind, and
 * what Locust kept of the response. Handles the generated locustfile's "HTTP 422: <body>" (a
 * status refused) and "check body-contains: HTTP 200: <body>" (a check), requests'
 * "HTTPError('422 Client Error: ...')" and connection errors.
 */
export function parseLocustError(raw: string): {
  message: string;
  kind: ErrorKind;
  status?: number;
  body: string;
} {
  const inner = /^[A-Za-z]+\('([\s\S]*)'\)$/.exec(raw)?.[1] ?? raw;
  const generated = /^(?:(.+?): )?HTTP (\d{3}): ([\s\S]*)$/.exec(inner);
  if (generated) {
    const status = Number(generated[2]);
    return {
      message: generated[1] ? `${generated[1]}: HTTP ${status}` : `HTTP ${status}`,
      kind: generated[1] ? caughtErrorKind(generated[1]) : 'status',
      status,
      body: generated[3] ?? '',
    };
  }
  const httpError = /(\d{3}) (?:Client|Server) Error/.exec(inner);
  if (httpError) {
    return {
      message: `HTTP ${httpError[1]}`,
      kind: 'status',
      status: Number(httpError[1]),
      body: inner,
    };
  }
  const kind = locustErrorKind(raw);
  // the same words as the built-in engine's for a refused connection
  if (kind === 'refused') return { message: 'ECONNREFUSED: connection refused', kind, body: '' };
  return { message: inner.slice(0, 200), kind, body: '' };
}

/**
 * Status code → count, keys numeric like the built-in engine's: from the launcher's record of
 * every response when there is one, else from the failures alone (Locust keeps no success
 * statuses; a request no launcher saw, on a remote worker, has none).
 */
function statusCodesOf(
  recorded: LocustEvidence['statuses'] | undefined,
  errors: ErrorGroup[],
): Record<string, number> {
  const statusCodes: Record<string, number> = {};
  const add = (status: number, count: number) => {
    statusCodes[String(status)] = (statusCodes[String(status)] ?? 0) + count;
  };
  if (recorded?.length) for (const r of recorded) add(r.status, r.count);
  else for (const error of errors) add(error.status ?? 0, error.count);
  return statusCodes;
}

function endpointFrom(
  row: Record<string, string>,
  durationMs: number,
  errors: ErrorGroup[],
  recorded: LocustEvidence['statuses'] | undefined,
): EndpointStats {
  const requests = num(row['Request Count']);
  const failures = num(row['Failure Count']);
  const statusCodes = statusCodesOf(recorded, errors);
  return {
    name: row.Name ?? '',
    method: row.Type ?? '',
    requests,
    failures,
    latency: {
      min: round(num(row['Min Response Time'])),
      max: round(num(row['Max Response Time'])),
      mean: round(num(row['Average Response Time'])),
      p50: num(row['50%'] ?? row['Median Response Time']),
      p90: num(row['90%']),
      p95: num(row['95%']),
      p99: num(row['99%']),
    },
    bytesReceived: Math.round(num(row['Average Content Size']) * requests),
    bytesSent: 0,
    rps: round(requests / Math.max(durationMs / 1000, 0.001)),
    failuresPerSecond: round(failures / Math.max(durationMs / 1000, 0.001)),
    statusCodes,
    errors,
  };
}

/** The launcher's exchange as a sample: redacted and cut like the built-in engine's. */
function sampleOf(
  recorded: LocustEvidence['samples'][number],
  secrets: Iterable<string>,
): HttpSample {
  const { request, response } = recorded;
  return buildSample(
    {
      method: request.method,
      origin: '',
      path: request.url,
      headers: request.headers,
      ...(request.body !== null ? { body: request.body } : {}),
    },
    response ? { ...response, text: response.body } : undefined,
    secrets,
  );
}

/** What Locust kept of a failure without the launcher: its error string and the URL's path. */
function sampleFromError(
  method: string,
  name: string,
  target: string,
  parsed: ReturnType<typeof parseLocustError>,
): HttpSample {
  return {
    request: { method, url: `${target}${name.startsWith('/') ? name : ''}`, headers: {} },
    ...(parsed.status
      ? {
          response: {
            status: parsed.status,
            headers: {},
            body: parsed.body.slice(0, SAMPLE_BYTES),
            truncated: parsed.body.length > SAMPLE_BYTES,
          },
        }
      : {}),
  };
}

/**
 * Locust's CSV files (stats, failures, stats_history, exceptions; columns read by their header
 * name) and the launcher's evidence as loadgate's stage statistics.
 */
export function stageFromLocustCsv(
  files: { stats: string; failures: string; history: string; exceptions?: string },
  target: string,
  durationMs: number,
  evidence: LocustEvidence = { statuses: [], samples: [] },
  secrets: Iterable<string> = [],
): Pick<StageResult, 'endpoints' | 'total' | 'timeline' | 'exceptions'> {
  const errorsByEndpoint = new Map<string, ErrorGroup[]>();
  for (const row of parseCsv(files.failures)) {
    const parsed = parseLocustError(row.Error ?? '');
    const name = row.Name ?? '';
    const method = row.Method ?? 'GET';
    const recorded = evidence.samples.find(
      (e) => e.method === method && e.name === name && e.error === row.Error,
    );
    const group: ErrorGroup = {
      message: parsed.message,
      kind: parsed.kind,
      count: num(row.Occurrences),
      ...(parsed.status ? { status: parsed.status } : {}),
      sample: recorded
        ? sampleOf(recorded, secrets)
        : sampleFromError(method, name, target, parsed),
    };
    const list = errorsByEndpoint.get(name) ?? [];
    const same = list.find((e) => e.message === group.message);
    if (same) same.count += group.count;
    else list.push(group);
    errorsByEndpoint.set(name, list);
  }
  const rows = parseCsv(files.stats);
  const endpoints = rows
    .filter((r) => r.Name !== 'Aggregated')
    .map((r) =>
      endpointFrom(
        r,
        durationMs,
        errorsByEndpoint.get(r.Name ?? '') ?? [],
        evidence.statuses.filter((s) => s.method === r.Type && s.name === r.Name),
      ),
    );
  const aggregated = rows.find((r) => r.Name === 'Aggregated');
  const total = endpointFrom(
    aggregated ?? { Name: 'Aggregated', 'Request Count': '0', 'Failure Count': '0' },
    durationMs,
    endpoints.flatMap((e) => e.errors),
    evidence.statuses,
  );
  total.name = 'Aggregated';
  total.method = '';

  const history = parseCsv(files.history).filter(
    (r) => r.Name === 'Aggregated' && num(r['User Count']) > 0,
  );
  const first = num(history[0]?.Timestamp);
  const timeline: TimelinePoint[] = history.map((r) => ({
    second: num(r.Timestamp) - first + 1,
    users: num(r['User Count']),
    rps: round(num(r['Requests/s'])),
    failuresPerSecond: round(num(r['Failures/s'])),
    p50: num(r['50%']),
    p95: num(r['95%']),
    p99: num(r['99%']),
  }));
  const exceptions = parseCsv(files.exceptions ?? '').map((r) => ({
    message: r.Message ?? '',
    count: num(r.Count),
    traceback: (r.Traceback ?? '').slice(0, 4000),
  }));
  return { endpoints, total, timeline, ...(exceptions.length ? { exceptions } : {}) };
}
