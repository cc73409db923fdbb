import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/config/data-file.js';
import { configSchema } from '../../src/config/config-schema.js';
import type { Config } from '../../src/config/schema.js';
import { createBuiltinEngine } from '../../src/engine/builtin/builtin-engine.js';
import type { StageSpec } from '../../src/engine/engine.js';
import { stageNotes, stageReason } from '../../src/report/gate-messages.js';
import { startServer, type Route } from '../support/http-server.js';

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});
async function server(routes: Record<string, Route>) {
  const s = await startServer(routes);
  servers.push(s);
  return s;
}
const scenario = (raw: unknown): Config['scenario'] =>
  configSchema.parse({ target: 'http://x', scenario: raw }).scenario;
const smoke = (iterations: number, users = 1): StageSpec => ({ name: 'smoke', users, iterations });
const ramp = (extra: Partial<Extract<StageSpec, { name: 'ramp' }>>): StageSpec => ({
  name: 'ramp',
  users: 10,
  spawnRate: 100,
  durationMs: 1000,
  ...extra,
});

describe('request bodies, checked server-side', () => {
  it('raw body with its content-type', async () => {
    const api = await server({ 'POST /raw': () => ({}) });
    await createBuiltinEngine().runStage(smoke(1), {
      target: api.url,
      env: {},
      scenario: scenario({
        tasks: [
          {
            request: {
              method: 'POST',
              url: '/raw',
              body: '<a>1</a>',
              'content-type': 'application/xml',
            },
          },
        ],
      }),
    });
    expect(api.seen[0]).toMatchObject({
      body: '<a>1</a>',
      headers: { 'content-type': 'application/xml' },
    });
  });

  it('multipart with a templated field and a file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lg-upload-'));
    writeFileSync(path.join(dir, 'avatar.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    const api = await server({ 'POST /upload': () => ({ status: 201 }) });
    const stage = await createBuiltinEngine().runStage(smoke(1), {
      target: api.url,
      env: { OWNER: 'alice' },
      baseDir: dir,
      scenario: scenario({
        tasks: [
          {
            request: {
              method: 'POST',
              url: '/upload',
              multipart: {
                owner: '${env.OWNER}',
                avatar: { file: 'avatar.png', 'content-type': 'image/png' },
              },
            },
          },
        ],
      }),
    });
    expect(stage.total.failures).toBe(0);
    const seen = api.seen[0]!;
    expect(seen.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.body).toContain('name="owner"\r\n\r\nalice');
    expect(seen.body).toMatch(/name="avatar"; filename="avatar.png"\r\nContent-Type: image\/png/);
    expect(stage.total.bytesSent).toBe(12); // 'alice' + the 7 bytes of the file
  });
});

describe('checks', () => {
  const api = () =>
    server({
      '/status': () => ({ status: 204, body: '' }),
      '/json': () => ({ body: '{"status":"degraded","data":{"count":3}}' }),
    });

  it.each([
    { check: { status: '2xx' }, url: '/status', failure: undefined },
    {
      check: { status: ['200-203'] },
      url: '/status',
      failure: 'check status: got 204, expected 200-203',
      kind: 'status',
    },
    { check: { 'body-contains': 'degraded' }, url: '/json', failure: undefined },
    {
      check: { 'body-contains': '"ok"' },
      url: '/json',
      failure: 'check body-contains: "\\"ok\\"" not found in the response',
      kind: 'check-failed',
    },
    { check: { json: { 'data.count': 3 } }, url: '/json', failure: undefined },
    {
      check: { json: { status: 'ok' } },
      url: '/json',
      failure: 'check json: status is "degraded", expected "ok"',
      kind: 'check-failed',
    },
    {
      check: { json: { 'data.missing': 1 } },
      url: '/json',
      failure: 'check json: data.missing is missing, expected 1',
      kind: 'check-failed',
    },
  ])('$check on $url', async ({ check, url, failure, kind }) => {
    const { url: target } = await api();
    const stage = await createBuiltinEngine().runStage(smoke(1), {
      target,
      env: {},
      scenario: scenario({ tasks: [{ request: { url }, check }] }),
    });
    expect(stage.total.errors[0]?.message).toBe(failure);
    expect(stage.total.errors[0]?.kind).toBe(kind);
  });
});

describe('data rows', () => {
  it('parses CSV with quotes, commas and newlines in fields', () => {
    expect(parseCsv('username,password\nalice,"p,1"\n"bob ""b""","line\nbreak"\n')).toEqual([
      { username: 'alice', password: 'p,1' },
      { username: 'bob "b"', password: 'line\nbreak' },
    ]);
  });

  it('gives each virtual user its own row (cycle)', async () => {
    const api = await server({
      'POST /token': () => ({ body: '{"access_token":"t"}' }),
      '/items': () => ({}),
    });
    await createBuiltinEngine().runStage(smoke(1, 3), {
      target: api.url,
      env: {},
      data: { rows: [{ user: 'u1' }, { user: 'u2' }], whenExhausted: 'cycle' },
      scenario: scenario({
        setup: [{ request: { method: 'POST', url: '/token', form: { username: '${data.user}' } } }],
        tasks: [{ request: { url: '/items' } }],
      }),
    });
    expect(
      api.seen
        .filter((r) => r.url === '/token')
        .map((r) => r.body)
        .sort(),
    ).toEqual(['username=u1', 'username=u1', 'username=u2']);
  });

  it('stops starting users when rows run out (stop)', async () => {
    const api = await server({ '/items': () => ({}) });
    const stage = await createBuiltinEngine().runStage(ramp({ users: 5, durationMs: 500 }), {
      target: api.url,
      env: {},
      data: { rows: [{ user: 'a' }, { user: 'b' }], whenExhausted: 'stop' },
      scenario: scenario({ tasks: [{ request: { url: '/items?u=${data.user}' } }], think: '50ms' }),
    });
    expect(stage.peakUsers).toBe(2);
    expect(stage.dataExhausted).toBe(true);
    expect(stageNotes(stage, 'en')).toEqual([
      '`scenario.data` ran out of rows: no more users were started (`when-exhausted: stop`)',
    ]);
    expect(stageNotes(stage, 'fr')[0]).toMatch(/^`scenario.data` n’avait plus de lignes/);
    expect(new Set(api.seen.map((r) => r.url))).toEqual(new Set(['/items?u=a', '/items?u=b']));
  });
});

describe('load models', () => {
  it('think time spaces the iterations of a user', async () => {
    const api = await server({ '/items': () => ({}) });
    const stage = await createBuiltinEngine().runStage(ramp({ users: 1, durationMs: 1000 }), {
      target: api.url,
      env: {},
      scenario: scenario({ tasks: [{ request: { url: '/items' } }], think: '200ms' }),
    });
    // one user with 200 ms think time cannot make more than ~5 requests in a second
    expect(stage.total.requests).toBeGreaterThanOrEqual(2);
    expect(stage.total.requests).toBeLessThanOrEqual(6);
  });

  it('open model: iterations arrive at the rate; with too few users for a slow server, the rest are dropped and counted', async () => {
    const api = await server({ '/slow': () => ({ delayMs: 400 }) });
    const stage = await createBuiltinEngine().runStage(
      ramp({ rate: 50, users: 4, durationMs: 1000 }),
      {
        target: api.url,
        env: {},
        scenario: scenario({ tasks: [{ request: { url: '/slow' } }] }),
      },
    );
    expect(stage).toMatchObject({ model: 'open', targetRate: 50, peakUsers: 4 });
    // 50 due in 1 s; 4 users each busy 400 ms can take about 8-12 of them
    expect(stage.total.requests).toBeLessThanOrEqual(16);
    expect(stage.droppedIterations).toBeGreaterThanOrEqual(30);
    expect(stage.total.requests + (stage.droppedIterations ?? 0)).toBeGreaterThanOrEqual(45);
  });

  it('open model with enough users holds the rate', async () => {
    const api = await server({ '/fast': () => ({}) });
    const stage = await createBuiltinEngine().runStage(
      ramp({ rate: 100, users: 20, durationMs: 1000 }),
      {
        target: api.url,
        env: {},
        scenario: scenario({ tasks: [{ request: { url: '/fast' } }] }),
      },
    );
    expect(stage.droppedIterations).toBe(0);
    expect(stage.total.requests).toBeGreaterThanOrEqual(90);
    expect(stage.total.requests).toBeLessThanOrEqual(101);
  });

  it('max-failures stops a lost ramp early', async () => {
    const api = await server({ '/down': () => ({ status: 503 }) });
    const stage = await createBuiltinEngine().runStage(
      ramp({ users: 2, durationMs: 60_000, maxFailures: 5 }),
      {
        target: api.url,
        env: {},
        scenario: scenario({ tasks: [{ request: { url: '/down' } }], think: '10ms' }),
      },
    );
    expect(stage.status).toBe('aborted');
    expect(stageReason(stage, 'en')).toMatch(
      /^stopped after \d+ failures \(stages.ramp.max-failures: 5\)$/,
    );
  });
});
