import { STATUS_CODES } from 'node:http';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { stageReasonText } from '../../src/report/gate-messages.js';
import type { JsonReport } from '../../src/report/report-data.js';
import { renderHtml } from '../../src/report/render-html.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { renderTerminal } from '../../src/report/render-terminal.js';
import { stackHeadline } from '../../src/report/run-error-messages.js';
import { english } from '../support/english.js';
import { endpoint, run, seedFailure, stage } from '../support/run-result.js';
import { healthyRun, notReadyStack, sampleReport } from '../support/sample-reports.js';

const config = configSchema.parse({
  target: 'http://127.0.0.1:8000',
  scenario: {
    setup: [
      {
        name: 'POST /token',
        request: { method: 'POST', url: '/token', form: { username: 'demo', password: 'x' } },
      },
    ],
    tasks: [{ request: { url: '/items' } }, { request: { url: '/orders' } }],
  },
  thresholds: {
    'failure-rate': '< 1%',
    p95: '< 500ms',
    endpoints: { 'GET /orders': { p95: '< 300ms' } },
  },
});

/** Every request to GET /items answered 503 in the ramp: its latency is the time to an error. */
function allFailedRamp() {
  return run([
    stage('smoke', [endpoint({ name: 'GET /items', requests: 2 })]),
    stage('ramp', [
      failing('GET /items', 503, 'Service Unavailable', { requests: 200, failures: 200 }),
    ]),
  ]);
}

/** An endpoint whose requests failed with `status` (0: no HTTP response, `message` says why). */
function failing(
  name: string,
  status: number,
  body: string,
  {
    message = `HTTP ${status}`,
    requests = 100,
    failures = 60,
    kind = status ? ('status' as const) : ('timeout' as const),
  } = {},
) {
  const [method = 'GET', path = '/'] = name.split(' ');
  return endpoint({
    name,
    requests,
    failures,
    bytesReceived: status ? requests * 100 : 0,
    statusCodes: {
      ...(requests > failures ? { '200': requests - failures } : {}),
      [String(status)]: failures,
    },
    errors: [
      {
        message,
        kind,
        ...(status ? { status } : {}),
        count: failures,
        sample: {
          request: { method, url: `http://127.0.0.1:8000${path}`, headers: {} },
          ...(status ? { response: { status, headers: {}, body, truncated: false } } : {}),
        },
      },
    ],
  });
}

/** A ramp where each endpoint fails its own way: one finding each. */
function manyWays() {
  const ok = endpoint({ name: 'GET /items', requests: 2 });
  return {
    ...run([
      stage('smoke', [ok]),
      stage('ramp', [
        failing('GET /itemz', 404, '{"detail":"Not Found"}'),
        failing('DELETE /items', 405, '{"detail":"Method Not Allowed"}'),
        failing('GET /search', 429, '{"detail":"Too Many Requests"}'),
        failing(
          'GET /orders',
          500,
          'sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached',
        ),
        failing('GET /users', 500, 'Internal Server Error'),
        failing('GET /slow', 0, '', { message: 'timeout' }),
        failing('GET /cart', 502, '<html><center>nginx/1.22.1</center></html>'),
      ]),
    ]),
    generator: { cpuPercent: 99, maxEventLoopLagMs: 250 },
  };
}

/** The smoke stage's login and protected call, answered with the given statuses. */
function smokeOnly(...endpoints: ReturnType<typeof endpoint>[]) {
  return run([stage('smoke', endpoints), stage('ramp', [], { status: 'skipped', peakUsers: 0 })]);
}

/** The ramp stopped by `thresholds.abort-on-fail`, as the builtin engine reports it. */
function abortedRamp() {
  const reasonFact = {
    kind: 'abort-on-fail' as const,
    elapsedMs: 12_000,
    metric: 'failure-rate',
    actual: 60,
    unit: '%',
    limit: '< 1%',
    requests: 100,
  };
  return run([
    stage('smoke', [endpoint({ name: 'GET /items', requests: 2 })]),
    stage('ramp', [failing('GET /items', 503, 'Service Unavailable')], {
      status: 'aborted',
      reason: stageReasonText(reasonFact, 'en'),
      reasonFact,
    }),
  ]);
}

const CASES: { what: string; report: () => JsonReport }[] = [
  { what: 'a ramp aborted by abort-on-fail', report: () => sampleReport(abortedRamp(), 'fr') },
  {
    what: 'a login refused (401)',
    report: () =>
      sampleReport(
        smokeOnly(
          endpoint({ name: 'POST /token', requests: 1, failures: 1, statusCodes: { '401': 1 } }),
        ),
        'fr',
        { config },
      ),
  },
  {
    what: 'a token refused by the protected call',
    report: () =>
      sampleReport(
        smokeOnly(
          endpoint({ name: 'POST /token', requests: 1 }),
          endpoint({ name: 'GET /items', requests: 3, failures: 3, statusCodes: { '401': 3 } }),
        ),
        'fr',
        { config },
      ),
  },
  {
    what: 'no HTTP response: connection refused',
    report: () =>
      sampleReport(
        smokeOnly(
          failing('POST /token', 0, '', { message: 'ECONNREFUSED', requests: 3, failures: 3 }),
        ),
        'fr',
        { config },
      ),
  },
  {
    what: 'an empty secret',
    report: () =>
      sampleReport(undefined, 'fr', {
        error: '`scenario.setup[0].request.form.password`: ${env.P} is empty',
        configError: {
          message: '`scenario.setup[0].request.form.password`: ${env.P} is empty',
          problem: {
            findingId: 'config.empty-secret',
            reads: [{ key: 'scenario.setup[0].request.form.password', variable: 'P' }],
          },
        },
      }),
  },
  { what: 'a ramp failing many ways', report: () => sampleReport(manyWays(), 'fr', { config }) },
  {
    what: 'the seed case: fail at the smoke stage',
    report: () => sampleReport(seedFailure(), 'fr'),
  },
  { what: 'pass', report: () => sampleReport(healthyRun(50), 'fr') },
  { what: 'fail on a threshold', report: () => sampleReport(healthyRun(750), 'fr') },
  {
    what: 'an endpoint threshold with no requests, and every request failed',
    report: () => sampleReport(allFailedRamp(), 'fr', { config }),
  },
  {
    what: 'a regression against a baseline',
    report: () => sampleReport(healthyRun(200), 'fr', { baseline: healthyRun(50) }),
  },
  {
    what: 'a failure-rate regression',
    report: () => sampleReport(allFailedRamp(), 'fr', { baseline: healthyRun(50) }),
  },
  {
    what: 'a ramp stopped when a container was OOM-killed',
    report: () => {
      const stop = {
        kind: 'service-crashed' as const,
        service: 'db',
        crash: 'oom-killed' as const,
      };
      const result = healthyRun(50);
      const ramp = result.stages.find((s) => s.name === 'ramp')!;
      ramp.status = 'aborted';
      ramp.reasonFact = { kind: 'stopped', stop };
      return sampleReport(result, 'fr', {
        error: 'service db was OOM-killed during the run',
        errorFact: { kind: 'stopped', stop },
      });
    },
  },
  {
    what: 'a distributed ramp whose data rows ran out',
    report: () => {
      const result = healthyRun(50);
      const ramp = result.stages.find((s) => s.name === 'ramp')!;
      ramp.dataExhausted = true;
      ramp.workers = [{ id: 'local worker 1', users: 2, requests: 40, state: 'stopped' }];
      ramp.generatorProcesses = [{ process: 'master', cpuPercent: 3 }];
      return sampleReport(result, 'fr');
    },
  },
  {
    what: 'stack never ready',
    report: () =>
      sampleReport(undefined, 'fr', {
        stack: notReadyStack,
        error: stackHeadline(notReadyStack.errorFact!, 'en'),
      }),
  },
];

/** The report's data: what the API, the stack and the user wrote, quoted as is. */
function data(report: JsonReport): string[] {
  const stages = report.stages;
  return [
    ...report.findings.map((f) => f.id),
    ...stages.flatMap((s) => s.endpoints.map((e) => e.name)),
    ...stages.flatMap((s) => s.endpoints.flatMap((e) => e.errors.map((x) => x.message))),
    ...stages.flatMap((s) =>
      s.endpoints.flatMap((e) => e.errors.map((x) => x.sample.response?.body ?? '')),
    ),
    // HTTP's own reason phrases ("429 Too Many Requests")
    ...Object.entries(STATUS_CODES).map(([code, phrase]) => `${code} ${phrase}`),
    ...(report.stack?.logTail ?? []).flatMap((line) => [line, line.replace(/\s+/g, ' ')]),
    ...report.thresholds.map((th) => th.scope),
    // a config error, as the config loader words it (English: it names keys and values)
    ...(report.error ? [report.error.replace(/`[^`\n]*`/g, ' ')] : []),
    report.target,
    report.configDigest,
  ]
    .filter(Boolean)
    .sort((a, b) => b.length - a.length);
}

function withoutData(text: string, report: JsonReport): string {
  let out = text
    .replace(/<style>[\s\S]*?<\/style>/g, ' ')
    .replace(/<pre>[\s\S]*?<\/pre>/g, ' ')
    .replace(/<code>[\s\S]*?<\/code>/g, ' ')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`\n]*`/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  for (const quoted of data(report)) out = out.split(quoted).join(' ');
  // config keys, as the rules name them
  return out
    .replace(/\b(scenario|stack|stages|thresholds)\.[\w.[\]-]+/g, ' ')
    .replace(/\btarget\s*:/g, ' ');
}

describe('French reports hold no English', () => {
  it.each(CASES)('$what', ({ report: build }) => {
    const report = build();
    const outputs = {
      markdown: renderMarkdown(report, { locale: 'fr' }),
      terminal: renderTerminal(report, { locale: 'fr', colour: false }),
      html: renderHtml(report, { locale: 'fr' }),
    };
    for (const [format, text] of Object.entries(outputs)) {
      expect(english(withoutData(text, report)), format).toEqual([]);
    }
  });

  it('the cases hold the findings the rules produce on them', () => {
    const ids = new Set(CASES.flatMap(({ report }) => report().findings.map((f) => f.id)));
    expect([...ids].sort()).toEqual([
      'auth.invalid-credentials',
      'auth.request-format',
      'auth.token-rejected',
      'capacity.timeouts',
      'config.empty-secret',
      'errors.regression',
      'generator.saturated',
      'http.method-not-allowed',
      'http.not-found',
      'latency.regression',
      'latency.threshold',
      'proxy.upstream-unreachable',
      'rate-limited',
      'server.errors',
      'stack.not-ready',
      'stack.unreachable',
    ]);
  });
});
