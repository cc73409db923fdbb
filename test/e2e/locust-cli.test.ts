import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stageNotes } from '../../src/report/gate-messages.js';
import type { JsonReport } from '../../src/report/report-data.js';
import { ROOT } from '../support/demo-stack.js';
import { startServer } from '../support/http-server.js';
import { runNode } from '../support/run-node.js';

// The bundled CLI (bin/loadgate.js → dist/), on a real server that counts what it receives, with
// Debian's Locust.
const BIN = path.join(ROOT, 'bin', 'loadgate.js');

function loadgate(args: string[], cwd: string, env: Record<string, string> = {}) {
  return runNode(BIN, args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    timeoutMs: 120_000,
  });
}

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer({ '/hit': () => ({ body: '{"ok":true}' }) });
});
afterAll(() => server.close());

function project(config: string) {
  const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-locust-e2e-'));
  writeFileSync(
    path.join(dir, 'locustfile.py'),
    `from locust import HttpUser, task, constant
class Hit(HttpUser):
    wait_time = constant(0.05)
    @task
    def hit(self):
        self.client.get("/hit")
`,
  );
  writeFileSync(path.join(dir, 'loadgate.yml'), `target: ${server.url}\n${config}`);
  return dir;
}

describe('loadgate run with engine: locust and a locustfile', () => {
  it('needs no scenario; locust.workers: 2 runs a master and two workers sharing the users, and the totals are what the server received', async () => {
    const dir = project(`engine: locust
locustfile: locustfile.py
locust: { workers: 2 }
stages:
  smoke: { users: 1, iterations: 2 }
  ramp: { users: 4, spawn-rate: 20, duration: 3s }
`);
    const before = server.seen.length;
    const run = await loadgate(['run', '--config', 'loadgate.yml', '--json', 'report.json'], dir);
    expect(run.stderr).toContain('loadgate: pass (exit 0)');
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as JsonReport;
    expect(report.engine).toBe('locust');
    const [smoke, ramp] = report.stages;
    expect([smoke?.status, ramp?.status]).toEqual(['completed', 'completed']);
    // the smoke stage: one user, its two iterations, then it stops
    expect(smoke?.total.requests).toBe(2);
    expect(smoke?.workers).toBeUndefined();
    // the ramp: what the master heard from each of its two workers
    expect(ramp?.workers).toHaveLength(2);
    for (const worker of ramp?.workers ?? []) {
      expect(worker).toMatchObject({ users: 2, state: 'stopped' });
      expect(worker.requests).toBeGreaterThan(0);
    }
    expect(ramp?.workers?.reduce((sum, w) => sum + w.requests, 0)).toBe(ramp?.total.requests);
    // the report says so in its language
    const notes = stageNotes(ramp!, 'en').join('\n');
    expect(notes).toMatch(/^distributed: 2 workers \(/);
    expect(stageNotes(ramp!, 'fr').join('\n')).toMatch(/^distribué : 2 workers \(/);
    // generator CPU per process: the master and each local worker did work
    expect(ramp?.generatorProcesses?.map((p) => p.process)).toEqual([
      'master',
      'local worker 1',
      'local worker 2',
    ]);
    for (const p of ramp?.generatorProcesses ?? []) expect(p.cpuPercent).toBeGreaterThan(0);
    expect(notes).toMatch(/generator CPU: master [\d.]+%, local worker 1 [\d.]+%/);
    // every request the server received is counted, and nothing else
    expect((smoke?.total.requests ?? 0) + (ramp?.total.requests ?? 0)).toBe(
      server.seen.length - before,
    );
    expect(ramp?.total.statusCodes).toEqual({ '200': ramp?.total.requests });
  }, 120_000);

  it.each([
    { locale: 'en', title: 'The locustfile raised exceptions: the test is broken, not the API' },
    {
      locale: 'fr',
      title: 'Le locustfile a levé des exceptions : c’est le test qui est cassé, pas l’API',
    },
  ])(
    'a locustfile that raises: locust.exceptions names the line ($locale)',
    async ({ locale, title }) => {
      const dir = project(`engine: locust
locustfile: locustfile.py
locale: ${locale}
stages:
  smoke: { users: 1, iterations: 2 }
  ramp: { users: 2, spawn-rate: 20, duration: 2s }
`);
      writeFileSync(
        path.join(dir, 'locustfile.py'),
        `from locust import HttpUser, task, constant
class Hit(HttpUser):
    wait_time = constant(0.05)
    @task
    def hit(self):
        body = self.client.get("/hit").json()
        print(body["price"])
`,
      );
      const run = await loadgate(['run', '--config', 'loadgate.yml', '--json', 'report.json'], dir);
      expect(run.code).toBe(1);
      const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as JsonReport;
      const top = report.findings[0];
      expect(top?.id).toBe('locust.exceptions');
      expect(top?.title).toBe(title);
      expect(top?.evidence[0]).toMatch(/^smoke: 'price' × \d+$/);
      // the line that raised says what Locust's message alone does not
      expect(top?.evidence.at(-1)).toMatch(
        new RegExp(
          `^${locale === 'fr' ? 'à' : 'at'} File ".*locustfile\\.py", line 7, in hit: print\\(body\\["price"\\]\\)$`,
        ),
      );
      // the API answered every request: no finding blames it
      expect(report.findings.map((f) => f.id)).not.toContain('server.errors');
    },
    60_000,
  );

  it('config the engine cannot honour is refused by name before anything runs (exit 2)', async () => {
    const dir = project(`locust: { workers: 2 }
scenario: { tasks: [ { request: { url: /hit } } ] }
`);
    const before = server.seen.length;
    const run = await loadgate(['run', '--config', 'loadgate.yml', '--json', 'report.json'], dir);
    expect(run.code).toBe(2);
    // a config error is said once, by the report's headline (stdout)
    expect(run.stdout + run.stderr).toContain(
      '`locust`: got a map, expected no `locust:` settings with the built-in engine (or `engine: locust`)',
    );
    expect(server.seen.length).toBe(before);
  }, 60_000);

  it('a locustfile that fails to import stops the run with its traceback (exit 2)', async () => {
    const dir = project(`engine: locust
locustfile: locustfile.py
`);
    writeFileSync(path.join(dir, 'locustfile.py'), 'import os\nTOKEN = os.environ["API_TOKEN"]\n');
    const run = await loadgate(['run', '--config', 'loadgate.yml', '--json', 'report.json'], dir);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(
      `engine: locust: the locustfile ${path.join(dir, 'locustfile.py')} failed before any load ran`,
    );
    expect(run.stdout).toMatch(/Traceback[\s\S]*line 2, in <module>[\s\S]*KeyError: 'API_TOKEN'/);
    const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as JsonReport;
    expect(report.error).toContain("KeyError: 'API_TOKEN'");
  }, 60_000);

  it("the locustfile's secrets from the environment are redacted from everything it reports", async () => {
    const secret = 'tok-Canary-31337';
    const dir = project(`engine: locust
locustfile: locustfile.py
`);
    writeFileSync(
      path.join(dir, 'locustfile.py'),
      `import os
from locust import HttpUser, task, constant
class Hit(HttpUser):
    wait_time = constant(0.01)
    @task
    def hit(self):
        self.client.get("/hit")
        raise RuntimeError("the API answered without " + os.environ["API_TOKEN"])
`,
    );
    const run = await loadgate(
      ['run', '--config', 'loadgate.yml', '--json', 'report.json', '--markdown', 'report.md'],
      dir,
      { API_TOKEN: secret },
    );
    expect(run.code).toBe(1);
    const report = readFileSync(path.join(dir, 'report.json'), 'utf8');
    expect(report).toContain('the API answered without [REDACTED]');
    for (const text of [
      report,
      readFileSync(path.join(dir, 'report.md'), 'utf8'),
      run.stdout,
      run.stderr,
    ]) {
      expect(text).not.toContain(secret);
    }
  }, 60_000);
});
