import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import type { Config } from '../../src/config/schema.js';
import { diagnose } from '../support/diagnose.js';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import { findKnee } from '../../src/diagnose/knee.js';
import type { TimelinePoint } from '../../src/model/run-result.js';
import { endpoint, run, seedFailure, stage } from '../support/run-result.js';

const config = (setupJson: boolean): Config =>
  configSchema.parse({
    target: 'http://127.0.0.1:8000',
    scenario: {
      setup: [
        {
          name: 'POST /token',
          request: {
            method: 'POST',
            url: '/token',
            ...(setupJson
              ? { json: { username: 'u', password: 'p' } }
              : { form: { username: 'u', password: 'p' } }),
          },
        },
      ],
      tasks: [{ request: { url: '/items' } }],
    },
  });

describe('diagnose', () => {
  it("names the seed's cause first: a login that expects form data got JSON", () => {
    const result = seedFailure();
    const cfg = config(true);
    const { findings, plan } = diagnose({
      config: cfg,
      result,
      gate: evaluateGate(result, cfg.thresholds),
    });
    expect(findings[0]?.id).toBe('auth.request-format');
    expect(findings[0]?.evidence.join('\n')).toContain('"loc":["body","username"]');
    expect(plan[0]?.text).toContain(
      'under `scenario.setup[0].request`, replace `json:` with `form:` (fields: username, password)',
    );
    expect(findings.map((f) => f.id)).not.toContain('latency.threshold');
  });

  it('tells "no HTTP response" (0 bytes, connection refused) apart from a 422 with a body', () => {
    const refused = endpoint({
      name: 'POST /token',
      requests: 3,
      failures: 3,
      bytesReceived: 0,
      statusCodes: { '0': 3 },
      errors: [
        {
          message: 'ECONNREFUSED',
          count: 3,
          sample: { request: { method: 'POST', url: 'http://127.0.0.1:8000/token', headers: {} } },
        },
      ],
    });
    const result = run([stage('smoke', [refused]), stage('ramp', [], { status: 'skipped' })]);
    const { findings } = diagnose({ config: config(true), result });
    expect(findings[0]?.id).toBe('stack.unreachable');
    expect(findings.map((f) => f.id)).not.toContain('auth.request-format');
  });

  it('capacity.timeouts reads the kind of each failure, not its words (Locust names them its own way)', () => {
    const sample = { request: { method: 'GET', url: 'http://127.0.0.1:8000/items', headers: {} } };
    const items = endpoint({
      name: 'GET /items',
      requests: 1000,
      failures: 70,
      statusCodes: { '200': 930, '0': 60, '500': 10 },
      errors: [
        {
          message: `ReadTimeout(ReadTimeoutError("HTTPConnectionPool(host='127.0.0.1', port=8000): Read timed out. (read timeout=1.0)"))`,
          kind: 'timeout',
          count: 40,
          sample,
        },
        {
          message: "RemoteDisconnected('Remote end closed connection without response')",
          kind: 'closed',
          count: 20,
          sample,
        },
        { message: 'HTTP 500', kind: 'status', status: 500, count: 10, sample },
      ],
    });
    const result = run([
      stage('smoke', [endpoint({ name: 'GET /items', requests: 2 })]),
      stage('ramp', [items]),
    ]);
    const finding = diagnose({ config: config(false), result }).findings.find(
      (f) => f.id === 'capacity.timeouts',
    );
    expect(finding?.evidence[0]).toBe(
      `60 of 1000 requests (6%) in the ramp: ${items.errors[0]?.message} × 40, ${items.errors[1]?.message} × 20`,
    );
  });

  it('401 on the login is invalid credentials', () => {
    const denied = endpoint({
      name: 'POST /token',
      requests: 1,
      failures: 1,
      statusCodes: { '401': 1 },
    });
    const { findings } = diagnose({
      config: config(false),
      result: run([stage('smoke', [denied])]),
    });
    expect(findings[0]?.id).toBe('auth.invalid-credentials');
  });

  it('a stack that never became ready is the finding, with its log tail as evidence', () => {
    const { findings } = diagnose({
      config: config(false),
      stack: {
        command: 'node server.js',
        started: true,
        ready: false,
        error: 'not ready after 5s',
        logTail: ['Error: listen EADDRINUSE :::8000'],
      },
    });
    expect(findings[0]).toMatchObject({ id: 'stack.not-ready', priority: 'high' });
    expect(findings[0]?.evidence).toContain('log: Error: listen EADDRINUSE :::8000');
  });

  it('404 and 5xx each get their finding', () => {
    const missing = endpoint({
      name: 'GET /itemz',
      requests: 10,
      failures: 10,
      statusCodes: { '404': 10 },
    });
    const broken = endpoint({
      name: 'GET /items',
      requests: 10,
      failures: 2,
      statusCodes: { '200': 8, '500': 2 },
    });
    const { findings } = diagnose({
      config: config(false),
      result: run([stage('smoke', [missing, broken])]),
    });
    expect(findings.map((f) => f.id)).toEqual(['http.not-found', 'server.errors']);
  });

  it('a healthy run has no findings', () => {
    const result = run([
      stage('smoke', [endpoint({ name: 'GET /items' })]),
      stage('ramp', [endpoint({ name: 'GET /items' })]),
    ]);
    const cfg = config(false);
    expect(
      diagnose({ config: cfg, result, gate: evaluateGate(result, cfg.thresholds) }).findings,
    ).toEqual([]);
  });

  it('login fine but the protected call refused → auth.token-rejected', () => {
    const login = endpoint({ name: 'POST /token', requests: 1, statusCodes: { '200': 1 } });
    const items = endpoint({
      name: 'GET /items',
      requests: 3,
      failures: 3,
      statusCodes: { '401': 3 },
    });
    const { findings } = diagnose({
      config: config(false),
      result: run([stage('smoke', [login, items])]),
    });
    expect(findings[0]?.id).toBe('auth.token-rejected');
    expect(findings[0]?.actions[0]?.text).toContain("Send the login's token");
  });

  it('an empty secret at config time becomes the config.empty-secret finding', () => {
    const { findings, plan } = diagnose({
      configError: {
        message: '`scenario.setup[0].request.form.password`: ${env.P} is empty',
        problem: {
          findingId: 'config.empty-secret',
          reads: [{ key: 'scenario.setup[0].request.form.password', variable: 'P' }],
        },
      },
    });
    expect(findings.map((f) => f.id)).toEqual(['config.empty-secret']);
    expect(findings[0]?.title).toMatch(/^`P` has no value/);
    expect(findings[0]?.evidence).toEqual([
      expect.stringMatching(/^`scenario.setup\[0\].request.form.password` reads `P`/),
    ]);
    expect(plan[0]?.text).toContain('env:');
  });

  it('a saturated generator is Low when thresholds pass, Medium when latency failed', () => {
    const result = {
      ...run([stage('smoke', [endpoint({ name: 'GET /items' })])]),
      generator: { cpuPercent: 99, maxEventLoopLagMs: 250 },
    };
    expect(diagnose({ config: config(false), result }).findings).toMatchObject([
      { id: 'generator.saturated', priority: 'low' },
    ]);
    const gate = {
      regressions: 0,
      verdict: 'fail' as const,
      headlineFact: { kind: 'passed' as const, checks: 1 },
      smokeFailed: false,
      thresholds: [
        {
          metric: 'p95' as const,
          scope: 'global',
          limit: '< 1ms',
          actual: 5,
          unit: 'ms' as const,
          status: 'fail' as const,
        },
      ],
    };
    expect(
      diagnose({ config: config(false), result, gate }).findings.find(
        (f) => f.id === 'generator.saturated',
      )?.priority,
    ).toBe('medium');
    // every request failed: that p95 is the time to get an error, no latency failure
    const noted = {
      ...gate,
      thresholds: [
        {
          ...gate.thresholds[0]!,
          limit: '< 10s',
          actual: 3,
          fact: { kind: 'all-failed' as const, requests: 3 },
        },
      ],
    };
    expect(
      diagnose({ config: config(false), result, gate: noted }).findings.find(
        (f) => f.id === 'generator.saturated',
      )?.priority,
    ).toBe('low');
  });

  it('the plan lists a shared action once, at its highest priority', () => {
    const a = endpoint({ name: 'GET /a', requests: 10, failures: 10, statusCodes: { '500': 10 } });
    const b = endpoint({
      name: 'GET /b',
      requests: 10,
      failures: 2,
      statusCodes: { '200': 8, '500': 2 },
    });
    const { findings, plan } = diagnose({
      config: config(false),
      result: run([stage('smoke', [a, b])]),
    });
    expect(findings.filter((f) => f.id === 'server.errors')).toHaveLength(2);
    expect(
      plan.filter((p) => p.text.startsWith('Read the stack log around the first 5xx')),
    ).toMatchObject([{ priority: 'high' }]);
  });

  it('renders its sentences in French', () => {
    const result = seedFailure();
    const { findings, plan } = diagnose({ config: config(true), result, locale: 'fr' });
    expect(findings[0]?.title).toBe(
      'POST /token rejette le corps de la requête : il attend des données de formulaire, pas du JSON',
    );
    expect(plan[0]?.text).toContain('remplacer `json:` par `form:`');
  });
});

describe('findKnee', () => {
  const point = (second: number, users: number, rps: number, p95: number): TimelinePoint => ({
    second,
    users,
    rps,
    failuresPerSecond: 0,
    p50: p95 / 2,
    p95,
  });
  it('finds the knee: users grow, throughput plateaus, latency climbs', () => {
    const timeline = [
      point(1, 10, 400, 5),
      point(2, 20, 600, 8),
      point(3, 30, 640, 20),
      point(4, 40, 650, 45),
      point(5, 50, 645, 60),
      point(6, 60, 650, 80),
    ];
    const knee = findKnee(timeline, 30);
    expect(knee).toMatchObject({ kneeUsers: 20, maxUsers: 60, capacityUsers: 30, peakRps: 650 });
  });
  it('one slow second at the start or one fast second at the end does not hide the knee', () => {
    const timeline = [
      point(1, 11, 150, 130), // a GC pause or a busy neighbour
      point(2, 21, 314, 53),
      point(3, 31, 324, 114),
      point(4, 40, 325, 159),
      point(5, 40, 470, 212), // catch-up after the pause
      point(6, 40, 321, 205),
    ];
    const knee = findKnee(timeline, 15);
    expect(knee).toMatchObject({ p95Early: 53, kneeUsers: 21, maxUsers: 40, peakRps: 325 });
  });
  it('no knee when throughput keeps growing with users', () => {
    const timeline = [
      point(1, 10, 100, 5),
      point(2, 20, 200, 5),
      point(3, 30, 300, 6),
      point(4, 40, 400, 6),
    ];
    expect(findKnee(timeline, 30)).toBeUndefined();
  });

  it('no generator.saturated from the CPU of a run too short to measure (a one-request smoke)', () => {
    const short = run([stage('smoke', [endpoint({ name: 'GET /items', requests: 1 })])]);
    short.durationMs = 120;
    short.generator = { cpuPercent: 169.7, maxEventLoopLagMs: 300 };
    expect(diagnose({ result: short }).findings.map((f) => f.id)).not.toContain(
      'generator.saturated',
    );
    const long = { ...short, durationMs: 20_000 };
    expect(diagnose({ result: long }).findings.map((f) => f.id)).toContain('generator.saturated');
  });
});
