import { describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import { diagnose } from '../../src/diagnose/diagnose.js';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
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
});
