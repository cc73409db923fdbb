import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import type { Config } from '../../src/config/schema.js';
import type { EngineEvent } from '../../src/engine/engine.js';
import { createBuiltinEngine } from '../../src/engine/builtin/builtin-engine.js';
import { runStages } from '../../src/engine/run-stages.js';
import { stageReason } from '../../src/report/gate-messages.js';
import { stopError } from '../../src/report/run-error-messages.js';
import { closedPort, startServer, type Route } from '../support/http-server.js';

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function server(routes: Record<string, Route>) {
  const s = await startServer(routes);
  servers.push(s);
  return s;
}

function scenario(raw: unknown): Config['scenario'] {
  return configSchema.parse({ target: 'http://x', scenario: raw }).scenario;
}

const smoke = (iterations = 5, users = 1) => ({ name: 'smoke' as const, users, iterations });

describe('the built-in engine against real servers', () => {
  it('logs in with a form in setup, captures the token and sends it as a bearer header', async () => {
    const api = await server({
      'POST /token': () => ({ body: '{"access_token":"tok-123-abc","token_type":"bearer"}' }),
      'GET /items': (r) => ({
        status: r.headers.authorization === 'Bearer tok-123-abc' ? 200 : 401,
        body: '[]',
      }),
    });
    const engine = createBuiltinEngine();
    const stage = await engine.runStage(smoke(4), {
      target: api.url,
      env: { API_PASSWORD: 's3cret-pass' },
      scenario: scenario({
        setup: [
          {
            name: 'POST /token',
            request: {
              method: 'POST',
              url: '/token',
              form: { username: 'demo', password: '${env.API_PASSWORD}' },
            },
            capture: { token: 'json.access_token' },
          },
        ],
        tasks: [{ request: { url: '/items', headers: { Authorization: 'Bearer ${token}' } } }],
      }),
    });
    const login = api.seen.find((r) => r.url === '/token');
    expect(login?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(login?.body).toBe('username=demo&password=s3cret-pass');
    expect(api.seen.filter((r) => r.url === '/items').map((r) => r.headers.authorization)).toEqual(
      Array(4).fill('Bearer tok-123-abc'),
    );
    expect(stage.total).toMatchObject({ requests: 5, failures: 0, statusCodes: { '200': 5 } });
    expect(stage.endpoints.map((e) => [e.name, e.requests])).toEqual([
      ['POST /token', 1],
      ['GET /items', 4],
    ]);
  });

  it('sends JSON bodies with templated leaves, query strings and a base path', async () => {
    const api = await server({ 'POST /api/v1/orders': () => ({ status: 201 }) });
    await createBuiltinEngine().runStage(smoke(1), {
      target: `${api.url}/api/v1`,
      env: { TENANT: 'acme' },
      scenario: scenario({
        tasks: [
          {
            request: {
              method: 'POST',
              url: '/orders',
              query: { dry: true },
              json: { tenant: '${env.TENANT}', items: [1, 2] },
            },
          },
        ],
      }),
    });
    expect(api.seen[0]).toMatchObject({
      url: '/api/v1/orders?dry=true',
      body: '{"tenant":"acme","items":[1,2]}',
    });
    expect(api.seen[0]?.headers['content-type']).toBe('application/json');
  });

  it('runs exactly users × iterations tasks in smoke, and picks tasks by weight', async () => {
    const api = await server({ '/a': () => ({}), '/b': () => ({}) });
    const stage = await createBuiltinEngine().runStage(smoke(200, 2), {
      target: api.url,
      env: {},
      scenario: scenario({
        tasks: [
          { weight: 3, request: { url: '/a' } },
          { weight: 1, request: { url: '/b' } },
        ],
      }),
    });
    expect(stage.total.requests).toBe(400);
    const a = stage.endpoints.find((e) => e.name === 'GET /a')?.requests ?? 0;
    const b = stage.endpoints.find((e) => e.name === 'GET /b')?.requests ?? 0;
    expect(a + b).toBe(400);
    expect(a / b).toBeGreaterThan(2);
    expect(a / b).toBeLessThan(4.5);
  });

  it('groups a 422 with its response body, and redacts secrets in the sample', async () => {
    const api = await server({
      'POST /token': () => ({
        status: 422,
        body: '{"detail":[{"loc":["body","username"],"msg":"field required"}],"echo":"s3cret-pass"}',
      }),
    });
    const stage = await createBuiltinEngine().runStage(smoke(1), {
      target: api.url,
      env: { API_PASSWORD: 's3cret-pass' },
      scenario: scenario({
        tasks: [
          {
            name: 'POST /token',
            request: {
              method: 'POST',
              url: '/token',
              headers: { Authorization: 'Basic abc' },
              json: {
                username: 'demo',
                password: '${env.API_PASSWORD}',
                note: 'pw is ${env.API_PASSWORD}',
              },
            },
          },
        ],
      }),
    });
    const token = stage.endpoints[0]!;
    expect(token).toMatchObject({ requests: 1, failures: 1, statusCodes: { '422': 1 } });
    const error = token.errors[0]!;
    expect(error).toMatchObject({ message: 'HTTP 422', kind: 'status', status: 422, count: 1 });
    expect(error.sample.response?.body).toContain('"loc":["body","username"]');
    expect(error.sample.request.headers.authorization).toBe('Basic [REDACTED]');
    expect(JSON.stringify(error.sample)).not.toContain('s3cret-pass');
    expect(error.sample.request.body).toBe(
      '{"username":"demo","password":"[REDACTED]","note":"pw is [REDACTED]"}',
    );
  });

  it('counts connection refused as status 0 with no response, and a timeout as a failure', async () => {
    const port = await closedPort();
    const refused = await createBuiltinEngine().runStage(smoke(2), {
      target: `http://127.0.0.1:${port}`,
      env: {},
      scenario: scenario({ tasks: [{ request: { url: '/' } }] }),
    });
    expect(refused.total).toMatchObject({
      requests: 2,
      failures: 2,
      statusCodes: { '0': 2 },
      bytesReceived: 0,
    });
    expect(refused.total.errors[0]).toMatchObject({
      message: 'ECONNREFUSED: connection refused',
      kind: 'refused',
      count: 2,
    });
    expect(refused.total.errors[0]?.sample.response).toBeUndefined();

    const api = await server({ '/slow': () => ({ hang: true }) });
    const slow = await createBuiltinEngine().runStage(smoke(1), {
      target: api.url,
      env: {},
      scenario: scenario({ tasks: [{ request: { url: '/slow', timeout: '300ms' } }] }),
    });
    expect(slow.total.errors[0]).toMatchObject({ message: 'timeout after 0.3s', kind: 'timeout' });
  });

  it('an unset variable fails the request with a clear message instead of sending ${token}', async () => {
    const api = await server({ '/items': () => ({}) });
    const stage = await createBuiltinEngine().runStage(smoke(1), {
      target: api.url,
      env: {},
      scenario: scenario({
        tasks: [{ request: { url: '/items', headers: { Authorization: 'Bearer ${token}' } } }],
      }),
    });
    expect(api.seen).toHaveLength(0);
    expect(stage.total.errors[0]).toMatchObject({
      message: 'variable ${token} is not set: capture it in a setup step',
      kind: 'request-build',
    });
  });

  it('checks: an accepted status list, and a capture that finds nothing', async () => {
    const api = await server({ '/created': () => ({ status: 200, body: '{"id":1}' }) });
    const stage = await createBuiltinEngine().runStage(smoke(1), {
      target: api.url,
      env: {},
      scenario: scenario({
        tasks: [{ request: { url: '/created' }, check: { status: [201, 202] } }],
      }),
    });
    expect(stage.total.errors[0]).toMatchObject({
      message: 'check status: got 200, expected 201-202',
      kind: 'status',
    });
    const capture = await createBuiltinEngine().runStage(smoke(1), {
      target: api.url,
      env: {},
      scenario: scenario({
        tasks: [{ request: { url: '/created' }, capture: { t: 'json.token' } }],
      }),
    });
    expect(capture.total.errors[0]).toMatchObject({
      message: 'capture t: json.token not found in response',
      kind: 'capture-failed',
    });
  });

  it('a failing smoke stage skips the ramp and says why', async () => {
    const api = await server({ '/items': () => ({ status: 500 }) });
    const result = await runStages(
      createBuiltinEngine(),
      {
        smoke: { users: 1, iterations: 2 },
        ramp: {
          users: 50,
          spawnRate: 50,
          durationMs: 60_000,
          rate: undefined,
          maxFailures: undefined,
        },
      },
      {
        target: api.url,
        env: {},
        scenario: scenario({ tasks: [{ request: { url: '/items' } }] }),
      },
    );
    expect(result.stages.map((s) => s.status)).toEqual(['completed', 'skipped']);
    // the engine returns facts; the report words them
    expect(result.stages[1]?.reason).toBeUndefined();
    expect(stageReason(result.stages[1]!, 'en')).toBe(
      'smoke stage failed (2 of 2 requests failed; first error: HTTP 500), so the ramp was not run',
    );
    expect(result.stages[1]?.reasonFact).toEqual({
      kind: 'smoke-failed',
      failures: 2,
      requests: 2,
      firstError: 'HTTP 500',
    });
    expect(api.seen).toHaveLength(2);
  });

  it('ramps users at the spawn rate up to the target, with a timeline and events', async () => {
    const api = await server({ '/items': () => ({ delayMs: 5 }) });
    const events: EngineEvent[] = [];
    const stage = await createBuiltinEngine().runStage(
      { name: 'ramp', users: 20, spawnRate: 40, durationMs: 1500 },
      {
        target: api.url,
        env: {},
        scenario: scenario({ tasks: [{ request: { url: '/items' } }], think: '10ms' }),
        onEvent: (e) => events.push(e),
      },
    );
    expect(stage).toMatchObject({ name: 'ramp', status: 'completed', users: 20, peakUsers: 20 });
    expect(stage.total.failures).toBe(0);
    expect(stage.timeline.length).toBeGreaterThanOrEqual(1);
    expect(stage.timeline.reduce((n, p) => n + p.rps, 0)).toBe(stage.total.requests);
    expect(events[0]).toMatchObject({ type: 'stage-start', stage: 'ramp', users: 20 });
    expect(events.at(-1)).toMatchObject({ type: 'stage-end', stage: 'ramp' });
  });

  /** A long ramp aborted after 300 ms with `reason`. */
  async function rampAbortedWith(reason: unknown) {
    const api = await server({ '/items': () => ({ delayMs: 20 }) });
    const abort = new AbortController();
    setTimeout(() => abort.abort(reason), 300);
    return createBuiltinEngine().runStage(
      { name: 'ramp', users: 5, spawnRate: 50, durationMs: 60_000 },
      {
        target: api.url,
        env: {},
        signal: abort.signal,
        scenario: scenario({ tasks: [{ request: { url: '/items' } }] }),
      },
    );
  }

  it('an abort signal stops the stage at once and marks it aborted', async () => {
    const stage = await rampAbortedWith(new Error('the stack exited (exit code 3) during the run'));
    expect(stage).toMatchObject({
      status: 'aborted',
      reason: 'the stack exited (exit code 3) during the run',
    });
    expect(stage.total.failures).toBe(0); // requests cut by the stop are not failures
  });

  it('a stop that gives its facts is the stage reason as facts (the report words it)', async () => {
    const stage = await rampAbortedWith(stopError({ kind: 'signal', signal: 'SIGTERM' }));
    expect(stage).toMatchObject({
      status: 'aborted',
      reasonFact: { kind: 'stopped', stop: { kind: 'signal', signal: 'SIGTERM' } },
    });
    expect(stageReason(stage, 'en')).toBe('loadgate received SIGTERM');
    expect(stageReason(stage, 'fr')).toBe('loadgate a reçu SIGTERM');
  });

  it('a watch that returns a reason stops the ramp (abort-on-fail)', async () => {
    const api = await server({ '/items': () => ({ status: 503 }) });
    const seen: number[] = [];
    const stage = await createBuiltinEngine().runStage(
      { name: 'ramp', users: 3, spawnRate: 30, durationMs: 60_000 },
      {
        target: api.url,
        env: {},
        scenario: scenario({ tasks: [{ request: { url: '/items' } }], think: '20ms' }),
        watch: (s) => {
          seen.push(s.failures);
          return s.failures > 0
            ? { kind: 'max-failures' as const, failures: s.failures, limit: 1 }
            : undefined;
        },
      },
    );
    expect(stage.status).toBe('aborted');
    expect(stage.reason).toBeUndefined();
    expect(stageReason(stage, 'en')).toMatch(
      /^stopped after \d+ failures \(stages.ramp.max-failures: 1\)$/,
    );
    expect(stage.reasonFact).toMatchObject({ kind: 'max-failures', limit: 1 });
    expect(seen).toHaveLength(1);
  });
  it('redacts the Authorization header, a password form field and env secrets in samples', async () => {
    const api = await server({
      'POST /token': (r) => ({
        status: 401,
        body: `{"detail":"bad credentials for ${r.body}","access_token":"leaked-abc"}`,
        headers: { 'set-cookie': 'session=s3cr3t-cookie' },
      }),
    });
    const stage = await createBuiltinEngine().runStage(smoke(1), {
      target: api.url,
      env: { API_USER: 'alice', API_PASSWORD: 'hunter2-secret' },
      scenario: scenario({
        setup: [
          {
            name: 'POST /token',
            request: {
              method: 'POST',
              url: '/token',
              headers: { Authorization: 'Basic YWxpY2U6aHVudGVy', 'X-Trace': 'keep-me' },
              form: { username: '${env.API_USER}', password: '${env.API_PASSWORD}' },
            },
          },
        ],
        tasks: [{ request: { url: '/items' } }],
      }),
    });
    // the login failed: the user never ran a task (smoke stops at a failed setup)
    expect(api.seen.map((r) => r.url)).toEqual(['/token']);
    expect(api.seen[0]?.body).toBe('username=alice&password=hunter2-secret');
    const { sample } = stage.total.errors[0]!;
    expect(stage.total.errors[0]).toMatchObject({ message: 'HTTP 401', status: 401, count: 1 });
    expect(sample.request).toMatchObject({
      method: 'POST',
      url: `${api.url}/token`,
      body: 'username=[REDACTED]&password=[REDACTED]',
    });
    expect(sample.request.headers).toMatchObject({
      authorization: 'Basic [REDACTED]',
      'x-trace': 'keep-me',
    });
    expect(sample.response?.headers['set-cookie']).toBe('[REDACTED]');
    // the server echoed the form: the env values are redacted in the response too
    expect(sample.response?.body).toBe(
      '{"detail":"bad credentials for username=[REDACTED]&password=[REDACTED]","access_token":"[REDACTED]"}',
    );
    const text = JSON.stringify(stage);
    for (const secret of ['hunter2-secret', 'YWxpY2U6aHVudGVy', 's3cr3t-cookie', 'leaked-abc']) {
      expect(text).not.toContain(secret);
    }
  });

  it('redacts a captured token wherever it shows up in a later failure', async () => {
    const api = await server({
      'POST /token': () => ({ body: '{"access_token":"tok-777-xyz"}' }),
      '/items': (r) => ({
        status: 403,
        body: `{"detail":"${String(r.headers['x-token'])} is expired"}`,
      }),
    });
    const stage = await createBuiltinEngine().runStage(smoke(2), {
      target: api.url,
      env: {},
      scenario: scenario({
        setup: [
          {
            request: { method: 'POST', url: '/token', json: { user: 'a' } },
            capture: { token: 'json.access_token' },
          },
        ],
        tasks: [{ request: { url: '/items?t=${token}', headers: { 'X-Token': '${token}' } } }],
      }),
    });
    const items = stage.endpoints.find((e) => e.name === 'GET /items')!;
    expect(items).toMatchObject({ requests: 2, failures: 2, statusCodes: { '403': 2 } });
    const { sample } = items.errors[0]!;
    expect(sample.request.url).toBe(`${api.url}/items?t=[REDACTED]`);
    expect(sample.request.headers['x-token']).toBe('[REDACTED]');
    expect(sample.response?.body).toBe('{"detail":"[REDACTED] is expired"}');
    expect(JSON.stringify(stage)).not.toContain('tok-777-xyz');
  });

  it('a ramp user whose setup fails retries it after a pause and never runs tasks without it', async () => {
    let logins = 0;
    const api = await server({
      'POST /token': () => ({ status: ++logins === 1 ? 500 : 200, body: '{"access_token":"t1"}' }),
      '/items': (r) => ({ status: r.headers.authorization === 'Bearer t1' ? 200 : 401 }),
    });
    const stage = await createBuiltinEngine().runStage(
      { name: 'ramp', users: 1, spawnRate: 10, durationMs: 1500 },
      {
        target: api.url,
        env: {},
        scenario: scenario({
          setup: [
            {
              request: { method: 'POST', url: '/token' },
              capture: { token: 'json.access_token' },
            },
          ],
          tasks: [{ request: { url: '/items', headers: { Authorization: 'Bearer ${token}' } } }],
          think: '100ms',
        }),
      },
    );
    const token = stage.endpoints.find((e) => e.name === 'POST /token')!;
    const items = stage.endpoints.find((e) => e.name === 'GET /items')!;
    // one failure, a pause of at least 1 s (no spinning), one successful retry, then tasks
    expect(token).toMatchObject({ requests: 2, failures: 1, statusCodes: { '200': 1, '500': 1 } });
    expect(items.requests).toBeGreaterThan(0);
    expect(items.failures).toBe(0);
    expect(api.seen[0]?.url).toBe('/token');
    expect(api.seen[1]?.url).toBe('/token');
  });

  it('a task with an unset variable in a ramp without think time does not starve the stage', async () => {
    const api = await server({ '/items': () => ({}) });
    const stage = await createBuiltinEngine().runStage(
      { name: 'ramp', users: 2, spawnRate: 20, durationMs: 300 },
      {
        target: api.url,
        env: {},
        scenario: scenario({ tasks: [{ request: { url: '/items/${id}' } }] }),
      },
    );
    expect(stage.status).toBe('completed');
    expect(api.seen).toHaveLength(0);
    expect(stage.total.failures).toBe(stage.total.requests);
    expect(stage.total.statusCodes).toEqual({});
    expect(stage.total.latency.max).toBe(0); // nothing was sent: no latency recorded
    expect(stage.total.errors[0]).toMatchObject({
      message: 'variable ${id} is not set: capture it in a setup step',
      sample: { request: { method: 'GET', url: `${api.url}/items/\${id}`, headers: {} } },
    });
  });

  it('templating: query values, headers, raw body and JSON leaves from env and captures', async () => {
    const api = await server({
      'POST /session': () => ({
        headers: { 'X-Session': 'sess-42' },
        body: '{"items":[{"id":7}]}',
      }),
      'PUT /items/7': () => ({ body: 'etag=W/"abc123"; ok' }),
      'POST /notes': () => ({ status: 201 }),
    });
    const stage = await createBuiltinEngine().runStage(smoke(1), {
      target: api.url,
      env: { TENANT: 'acme' },
      scenario: scenario({
        setup: [
          {
            request: { method: 'POST', url: '/session' },
            capture: { session: 'header.x-session', item: 'json.items.0.id' },
          },
          {
            request: {
              method: 'PUT',
              url: '/items/${item}',
              query: { tenant: '${env.TENANT}', q: 'a b&c' },
              headers: { 'X-Session': '${session}' },
              body: 'tenant=${env.TENANT}',
            },
            capture: { etag: 'regex:etag=(\\S+);' },
          },
        ],
        tasks: [
          {
            request: {
              method: 'POST',
              url: '/notes',
              json: {
                tenant: '${env.TENANT}',
                tags: ['${etag}', 2],
                nested: { s: 'x-${session}' },
              },
            },
            check: { status: 201 },
          },
        ],
      }),
    });
    expect(stage.total).toMatchObject({ requests: 3, failures: 0 });
    const [, put, note] = api.seen;
    expect(put).toMatchObject({
      url: '/items/7?tenant=acme&q=a+b%26c',
      body: 'tenant=acme',
      headers: { 'x-session': 'sess-42', 'content-type': 'text/plain' },
    });
    expect(JSON.parse(note!.body)).toEqual({
      tenant: 'acme',
      tags: ['W/"abc123"', 2],
      nested: { s: 'x-sess-42' },
    });
  });

  it('emits a tick per second, survives a listener that throws, and reports generator figures', async () => {
    const api = await server({ '/items': () => ({}) });
    const engine = createBuiltinEngine();
    const events: EngineEvent[] = [];
    const stage = await engine.runStage(
      { name: 'ramp', users: 2, spawnRate: 20, durationMs: 1200 },
      {
        target: api.url,
        env: {},
        scenario: scenario({ tasks: [{ request: { url: '/items' } }], think: '20ms' }),
        onEvent: (event) => {
          events.push(event);
          throw new Error('the display broke');
        },
      },
    );
    expect(stage.status).toBe('completed');
    expect(events[0]).toMatchObject({ type: 'stage-start', stage: 'ramp', users: 2 });
    expect(events.at(-1)).toMatchObject({ type: 'stage-end', stage: 'ramp', result: stage });
    const ticks = events.slice(1, -1);
    expect(ticks.length).toBeGreaterThanOrEqual(1);
    expect(ticks[0]).toMatchObject({ type: 'tick', stage: 'ramp', second: 1, users: 2 });
    const stats = engine.generatorStats();
    expect(stats.cpuPercent).toBeGreaterThan(0);
    expect(stats.maxEventLoopLagMs).toBeGreaterThanOrEqual(0);
  });
});
