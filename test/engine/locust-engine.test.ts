import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import type { Config } from '../../src/config/schema.js';
import { createLocustEngine } from '../../src/engine/locust/locust-engine.js';
import { parseLocustError } from '../../src/engine/locust/locust-csv.js';
import { runStages } from '../../src/engine/run-stages.js';
import { ConfigError } from '../../src/shared/errors.js';
import { freePort, ROOT } from '../support/demo-stack.js';

// Debian's Locust (python3-locust) against the FastAPI fixture under Debian's uvicorn.
let api: ChildProcess;
let target: string;
beforeAll(async () => {
  const port = await freePort();
  target = `http://127.0.0.1:${port}`;
  api = spawn(
    '/usr/bin/python3',
    [
      '-m',
      'uvicorn',
      'fastapi_app:app',
      '--app-dir',
      path.join(ROOT, 'test', 'fixtures'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
    ],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${target}/health`)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the FastAPI fixture did not start');
}, 30_000);
afterAll(() => {
  api.kill();
});

const RAW_SCENARIO = (login: 'form' | 'json') => ({
  setup: [
    {
      name: 'POST /token',
      request: {
        method: 'POST',
        url: '/token',
        [login]: { username: 'demo', password: '${env.FIXTURE_PASSWORD}' },
      },
      capture: { token: 'json.access_token' },
      check: { status: 200 },
    },
  ],
  tasks: [{ request: { url: '/items', headers: { Authorization: 'Bearer ${token}' } } }],
  think: '100ms',
});
const scenario = (login: 'form' | 'json'): Config['scenario'] =>
  configSchema.parse({ target: 'http://x', scenario: RAW_SCENARIO(login) }).scenario;

const stages = {
  smoke: { users: 1, iterations: 2 },
  ramp: { users: 3, spawnRate: 10, durationMs: 2000, rate: undefined, maxFailures: undefined },
};

describe('the Locust engine', () => {
  it('runs the YAML scenario as a generated locustfile: login, bearer token, smoke then ramp', async () => {
    const result = await runStages(createLocustEngine(), stages, {
      target,
      env: { ...process.env, FIXTURE_PASSWORD: 'demo-password' },
      scenario: scenario('form'),
    });
    expect(result.engine).toBe('locust');
    expect(result.stages.map((s) => s.status)).toEqual(['completed', 'completed']);
    const ramp = result.stages[1]!;
    expect(ramp.total.failures).toBe(0);
    expect(ramp.endpoints.map((e) => e.name).sort()).toEqual(['GET /items', 'POST /token']);
    expect(ramp.endpoints.find((e) => e.name === 'GET /items')?.requests).toBeGreaterThan(5);
    expect(ramp.total.latency.p95).toBeGreaterThan(0);
    // Locust's own CPU is measured (its start-up alone costs CPU), not claimed to be 0
    expect(result.generator.cpuPercent).toBeGreaterThan(0);
  }, 60_000);

  it("the seed's case on Locust: the JSON login fails the smoke stage with the 422 and its body", async () => {
    const result = await runStages(createLocustEngine(), stages, {
      target,
      env: { ...process.env, FIXTURE_PASSWORD: 'demo-password' },
      scenario: scenario('json'),
    });
    expect(result.stages.map((s) => s.status)).toEqual(['completed', 'skipped']);
    const token = result.stages[0]!.endpoints.find((e) => e.name === 'POST /token')!;
    expect(token.failures).toBe(token.requests);
    expect(token.errors[0]).toMatchObject({ message: 'HTTP 422', status: 422 });
    expect(token.errors[0]?.sample.response?.body).toContain('"loc":["body","username"]');
    expect(token.statusCodes['422']).toBe(token.requests);
  }, 60_000);

  it("runs a user's own locustfile unchanged", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lg-locustfile-'));
    const file = path.join(dir, 'locustfile.py');
    writeFileSync(
      file,
      `from locust import HttpUser, task, constant
class Health(HttpUser):
    wait_time = constant(0.2)
    @task
    def health(self):
        self.client.get("/health")
`,
    );
    const result = await runStages(createLocustEngine({ locustfile: file }), stages, {
      target,
      env: { ...process.env },
      scenario: scenario('form'),
    });
    expect(result.stages[0]?.endpoints.map((e) => e.name)).toEqual(['/health']);
    expect(result.stages[1]?.total.failures).toBe(0);
  }, 60_000);

  it('distributed: one master and two local workers share the ramp (Debian 2.12 included)', async () => {
    const result = await runStages(createLocustEngine({ workers: 2 }), stages, {
      target,
      env: { ...process.env, FIXTURE_PASSWORD: 'demo-password' },
      scenario: scenario('form'),
    });
    expect(result.stages.map((s) => s.status)).toEqual(['completed', 'completed']);
    expect(result.stages[1]?.total.failures).toBe(0);
    expect(
      result.stages[1]?.endpoints.find((e) => e.name === 'GET /items')?.requests,
    ).toBeGreaterThan(5);
  }, 60_000);

  it('a generated locustfile gives the same endpoints and verdict as the built-in engine', async () => {
    const { createBuiltinEngine } = await import('../../src/engine/builtin/builtin-engine.js');
    const { evaluateGate } = await import('../../src/gate/evaluate-gate.js');
    const thresholds = configSchema.parse({
      target: 'http://x',
      scenario: { tasks: [{ request: { url: '/' } }] },
    }).thresholds;
    for (const login of ['form', 'json'] as const) {
      const context = {
        target,
        env: { ...process.env, FIXTURE_PASSWORD: 'demo-password' },
        scenario: scenario(login),
      };
      const [locust, builtin] = [
        await runStages(createLocustEngine(), stages, context),
        await runStages(createBuiltinEngine(), stages, context),
      ];
      const names = (r: typeof locust) =>
        r.stages.map((s) =>
          s.endpoints
            .filter((e) => e.requests > 0)
            .map((e) => e.name)
            .sort(),
        );
      expect(names(locust)).toEqual(names(builtin));
      expect(evaluateGate(locust, thresholds).verdict).toBe(
        evaluateGate(builtin, thresholds).verdict,
      );
      expect(evaluateGate(locust, thresholds).verdict).toBe(login === 'form' ? 'pass' : 'fail');
    }
  }, 90_000);

  it('exceptions raised by the locustfile fail the smoke stage and become a finding', async () => {
    const { diagnose } = await import('../support/diagnose.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'lg-locustfile-'));
    const file = path.join(dir, 'locustfile.py');
    writeFileSync(
      file,
      `from locust import HttpUser, task, constant
class Broken(HttpUser):
    wait_time = constant(0.1)
    @task
    def health(self):
        self.client.get("/health")
        raise KeyError("access_token")
`,
    );
    const result = await runStages(createLocustEngine({ locustfile: file }), stages, {
      target,
      env: { ...process.env },
      scenario: scenario('form'),
    });
    expect(result.stages[0]).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/the locustfile raised \d+ × 'access_token'/),
    });
    expect(result.stages[1]?.status).toBe('skipped');
    const config = configSchema.parse({
      target,
      scenario: { tasks: [{ request: { url: '/health' } }] },
    });
    const { findings } = diagnose({ config, result });
    expect(findings[0]).toMatchObject({ id: 'locust.exceptions' });
    expect(findings[0]?.evidence.join('\n')).toContain(`File "${file}", line 7, in health`);
  }, 60_000);

  it('distributed: the master totals add up to what the server received from the workers', async () => {
    const { startServer } = await import('../support/http-server.js');
    const counting = await startServer({ '/hit': () => ({ body: 'ok' }) });
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'lg-locustfile-'));
      const file = path.join(dir, 'locustfile.py');
      writeFileSync(
        file,
        `from locust import HttpUser, task, constant
class Hit(HttpUser):
    wait_time = constant(0.05)
    @task
    def hit(self):
        self.client.get("/hit")
`,
      );
      const engine = createLocustEngine({ locustfile: file, workers: 2 });
      const ramp = await engine.runStage(
        { name: 'ramp', users: 4, spawnRate: 20, durationMs: 3000 },
        { target: counting.url, env: { ...process.env }, scenario: scenario('form') },
      );
      expect(ramp.total.requests).toBeGreaterThan(20);
      // Locust's final numbers: the workers' last requests are counted before the master quits
      expect(ramp.total.requests).toBe(counting.seen.length);
      expect(ramp.total.statusCodes).toEqual({ '200': counting.seen.length });
      expect(ramp.workers?.map((w) => w.users)).toEqual([2, 2]);
      expect(ramp.workers?.reduce((sum, w) => sum + w.requests, 0)).toBe(counting.seen.length);
    } finally {
      await counting.close();
    }
  }, 60_000);

  it('distributed: a worker that dies is named in the stage, which fails', async () => {
    const { startServer } = await import('../support/http-server.js');
    const counting = await startServer({ '/hit': () => ({ body: 'ok' }) });
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'lg-locustfile-'));
      const file = path.join(dir, 'locustfile.py');
      // the first worker to run a task dies (as if OOM-killed)
      writeFileSync(
        file,
        `import os
from locust import HttpUser, task, constant
class Hit(HttpUser):
    wait_time = constant(0.05)
    @task
    def hit(self):
        self.client.get("/hit")
        try:
            os.close(os.open(${JSON.stringify(path.join(dir, 'died'))}, os.O_CREAT | os.O_EXCL))
            os._exit(3)
        except FileExistsError:
            pass
`,
      );
      const ramp = await createLocustEngine({ locustfile: file, workers: 2 }).runStage(
        { name: 'ramp', users: 4, spawnRate: 20, durationMs: 5000 },
        { target: counting.url, env: { ...process.env }, scenario: scenario('form') },
      );
      expect(ramp.status).toBe('failed');
      expect(ramp.reason).toMatch(
        /^worker .*local worker \d.* stopped reporting during the stage$/,
      );
      expect(ramp.workers?.filter((w) => w.state === 'exited')).toEqual([
        expect.objectContaining({ exitCode: 3 }),
      ]);
    } finally {
      await counting.close();
    }
  }, 60_000);

  it('distributed: workers that never join are counted in the error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lg-locustfile-'));
    const file = path.join(dir, 'locustfile.py');
    writeFileSync(
      file,
      `from locust import HttpUser, task, constant
class Health(HttpUser):
    wait_time = constant(0.1)
    @task
    def health(self):
        self.client.get("/health")
`,
    );
    const engine = createLocustEngine({
      locustfile: file,
      workers: 1,
      expectWorkers: 2,
      workersWaitSeconds: 2,
    });
    await expect(
      engine.runStage(
        { name: 'ramp', users: 2, spawnRate: 10, durationMs: 1000 },
        { target, env: { ...process.env }, scenario: scenario('form') },
      ),
    ).rejects.toThrow(
      /^engine: locust: only 1 of 2 workers \(locust.expect-workers\) joined the master at 127\.0\.0\.1:\d+ in time/,
    );
  }, 60_000);

  it('a broken locustfile is reported as such', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lg-locustfile-'));
    const file = path.join(dir, 'locustfile.py');
    writeFileSync(file, 'import not_a_module\n');
    await expect(
      createLocustEngine({ locustfile: file }).runStage(
        { name: 'smoke', users: 1, iterations: 1 },
        { target, env: { ...process.env }, scenario: scenario('form') },
      ),
    ).rejects.toThrow(
      new RegExp(
        `^engine: locust: the locustfile ${file} failed before any load ran \\(locust exited with 1\\):\nTraceback \\(most recent call last\\):\n[\\s\\S]*ModuleNotFoundError: No module named 'not_a_module'`,
      ),
    );
    await expect(
      createLocustEngine({ locustfile: file }).runStage(
        { name: 'smoke', users: 1, iterations: 1 },
        { target, env: { ...process.env }, scenario: scenario('form') },
      ),
    ).rejects.toBeInstanceOf(ConfigError);
  }, 60_000);

  it('a locustfile whose event handler raises at start is a config error with the traceback', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lg-locustfile-'));
    const file = path.join(dir, 'locustfile.py');
    writeFileSync(
      file,
      `import os
from locust import HttpUser, events, task, constant
@events.test_start.add_listener
def configure(environment, **kwargs):
    environment.api_key = os.environ["NOT_SET_ANYWHERE"]
class Health(HttpUser):
    wait_time = constant(0.1)
    @task
    def health(self):
        self.client.get("/health")
`,
    );
    const stage = createLocustEngine({ locustfile: file }).runStage(
      { name: 'smoke', users: 1, iterations: 1 },
      { target, env: { PATH: process.env.PATH }, scenario: scenario('form') },
    );
    await expect(stage).rejects.toBeInstanceOf(ConfigError);
    await expect(stage).rejects.toThrow(
      /raised in a Locust event handler:\nTraceback[\s\S]*line 5, in configure[\s\S]*KeyError: 'NOT_SET_ANYWHERE'/,
    );
  }, 60_000);

  it('the smoke stage ends once each user ran its iterations', async () => {
    const { startServer } = await import('../support/http-server.js');
    const counting = await startServer({ '/hit': () => ({ body: 'ok' }) });
    try {
      const dir = mkdtempSync(path.join(tmpdir(), 'lg-locustfile-'));
      const file = path.join(dir, 'locustfile.py');
      writeFileSync(
        file,
        `from locust import HttpUser, task, constant
class Hit(HttpUser):
    wait_time = constant(0.01)
    @task
    def hit(self):
        self.client.get("/hit")
`,
      );
      const smoke = await createLocustEngine({ locustfile: file }).runStage(
        { name: 'smoke', users: 2, iterations: 3 },
        { target: counting.url, env: { ...process.env }, scenario: scenario('form') },
      );
      // before, the smoke stage ran for about a second per iteration: hundreds of requests here
      expect(counting.seen.length).toBe(2 * 3);
      expect(smoke).toMatchObject({ status: 'completed', total: { requests: 6, failures: 0 } });
      expect(smoke.total.statusCodes).toEqual({ '200': 6 });
    } finally {
      await counting.close();
    }
  }, 60_000);

  it("the seed's case from a hand-written locustfile: stops at smoke with the built-in engine's diagnosis", async () => {
    const { createBuiltinEngine } = await import('../../src/engine/builtin/builtin-engine.js');
    const { diagnose } = await import('../support/diagnose.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'lg-locustfile-'));
    const file = path.join(dir, 'locustfile.py');
    // the seed's script: JSON posted to FastAPI's OAuth2PasswordRequestForm login
    writeFileSync(
      file,
      `import os
from locust import HttpUser, task, between
class ApiUser(HttpUser):
    wait_time = between(0.1, 0.2)
    def on_start(self):
        r = self.client.post("/token", json={"username": "demo", "password": os.environ["FIXTURE_PASSWORD"]})
        self.token = r.json().get("access_token")
    @task
    def items(self):
        self.client.get("/items", headers={"Authorization": f"Bearer {self.token}"})
`,
    );
    const env = { ...process.env, FIXTURE_PASSWORD: 'demo-password' };
    const locust = await runStages(createLocustEngine({ locustfile: file }), stages, {
      target,
      env,
      scenario: scenario('form'),
    });
    const builtin = await runStages(createBuiltinEngine(), stages, {
      target,
      env,
      scenario: scenario('json'),
    });
    for (const result of [locust, builtin]) {
      expect(result.stages.map((s) => s.status)).toEqual(['completed', 'skipped']);
    }
    const token = locust.stages[0]!.endpoints.find((e) => e.name === '/token')!;
    expect(token.statusCodes).toEqual({ '422': 1 });
    const { sample } = token.errors[0]!;
    expect(sample.request).toMatchObject({
      method: 'POST',
      url: `${target}/token`,
      headers: { 'content-type': 'application/json' },
    });
    expect(sample.request.body).toBe('{"username": "demo", "password": "[REDACTED]"}');
    expect(sample.response).toMatchObject({ status: 422, truncated: false });
    expect(sample.response?.body).toContain('"loc":["body","username"]');

    const locustConfig = configSchema.parse({ target, engine: 'locust', locustfile: file });
    const builtinConfig = configSchema.parse({ target, scenario: { ...RAW_SCENARIO('json') } });
    const [fromLocust, fromBuiltin] = [
      diagnose({ config: locustConfig, result: locust }).findings[0]!,
      diagnose({ config: builtinConfig, result: builtin }).findings[0]!,
    ];
    expect(fromLocust.id).toBe('auth.request-format');
    expect(fromLocust.id).toBe(fromBuiltin.id);
    // the same action, written for where the request is: the locustfile, or loadgate.yml
    const [first, same] = [fromLocust.actions[0]!, fromBuiltin.actions[0]!];
    expect({ ...first, text: '' }).toEqual({ ...same, text: '' });
    for (const text of [first.text, same.text]) {
      expect(text).toContain(
        '(fields: username, password) so the body is sent as application/x-www-form-urlencoded',
      );
    }
    expect(first.text).toBe(
      'In the locustfile, in the request to /token, replace `json=` with `data=` (fields: username, password) so the body is sent as application/x-www-form-urlencoded',
    );
  }, 60_000);

  it('auth.token-rejected fires on a Locust run: the login answered 2xx, the calls with its token 401', async () => {
    const { diagnose } = await import('../support/diagnose.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'lg-locustfile-'));
    const file = path.join(dir, 'locustfile.py');
    writeFileSync(
      file,
      `import os
from locust import HttpUser, task, constant
class ApiUser(HttpUser):
    wait_time = constant(0.05)
    def on_start(self):
        r = self.client.post("/token", data={"username": "demo", "password": os.environ["FIXTURE_PASSWORD"]})
        self.token = r.json()["access_token"]
    @task
    def items(self):
        self.client.get("/items", headers={"Authorization": f"Token {self.token}"})
`,
    );
    const result = await runStages(createLocustEngine({ locustfile: file }), stages, {
      target,
      env: { ...process.env, FIXTURE_PASSWORD: 'demo-password' },
      scenario: scenario('form'),
    });
    expect(result.stages[0]?.endpoints.find((e) => e.name === '/token')?.statusCodes).toEqual({
      '200': 1,
    });
    const config = configSchema.parse({ target, engine: 'locust', locustfile: file });
    const { findings } = diagnose({ config, result });
    expect(findings[0]).toMatchObject({
      id: 'auth.token-rejected',
      title: 'The login works but /items rejects its token',
    });
    expect(findings[0]?.evidence).toContain('Authorization header sent with the scheme `Token`');
    expect(findings[0]?.actions[0]?.text).toContain('In the locustfile');
  }, 60_000);

  it('the smoke stage ends even when no task can run (a user without tasks)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lg-locustfile-'));
    const file = path.join(dir, 'locustfile.py');
    writeFileSync(
      file,
      `from locust import HttpUser, constant
class NoTasks(HttpUser):
    wait_time = constant(0.01)
`,
    );
    const smoke = await createLocustEngine({ locustfile: file }).runStage(
      { name: 'smoke', users: 1, iterations: 2 },
      { target, env: { ...process.env }, scenario: scenario('form') },
    );
    expect(smoke).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/^the locustfile raised 2 × No tasks defined on NoTasks/),
    });
  }, 60_000);

  it('a generated locustfile sends a raw body with its content-type', async () => {
    const { startServer } = await import('../support/http-server.js');
    const api = await startServer({ 'POST /raw': () => ({}) });
    try {
      const raw = configSchema.parse({
        target: 'http://x',
        engine: 'locust',
        scenario: {
          tasks: [
            {
              request: {
                method: 'POST',
                url: '/raw',
                body: 'a,b\n1,2',
                'content-type': 'text/csv',
              },
            },
          ],
        },
      }).scenario;
      await createLocustEngine().runStage(
        { name: 'smoke', users: 1, iterations: 1 },
        { target: api.url, env: { ...process.env }, scenario: raw },
      );
      expect(api.seen).toHaveLength(1);
      expect(api.seen[0]).toMatchObject({
        body: 'a,b\n1,2',
        headers: { 'content-type': 'text/csv' },
      });
    } finally {
      await api.close();
    }
  }, 60_000);

  it('a missing Locust says how to install it', async () => {
    const { findLocust } = await import('../../src/engine/locust/locust-engine.js');
    expect(() => findLocust(undefined, '/nonexistent', '/nonexistent/locust')).toThrow(
      'engine: locust: Locust is not installed: `pip install locust` (or `apt-get install python3-locust`)',
    );
    expect(() => createLocustEngine({ command: '/nonexistent/locust' })).toThrow(
      'engine: locust: Locust is not installed at /nonexistent/locust',
    );
  });
});

describe('Locust failure strings', () => {
  it.each([
    [
      'CatchResponseError(\'HTTP 422: {"detail":[]}\')',
      { message: 'HTTP 422', status: 422, body: '{"detail":[]}' },
    ],
    [
      "HTTPError('500 Server Error: Internal Server Error for url: /items')",
      { message: 'HTTP 500', status: 500 },
    ],
    [
      "CatchResponseError('check body-contains: HTTP 200: nope')",
      { message: 'check body-contains: HTTP 200', status: 200 },
    ],
    [
      "ConnectionRefusedError(111, 'Connection refused')",
      { message: 'ECONNREFUSED: connection refused' },
    ],
  ])('%s', (raw, expected) => {
    expect(parseLocustError(raw)).toMatchObject(expected);
  });
});
