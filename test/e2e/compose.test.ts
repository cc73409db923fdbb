import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/report-data.js';
import { freePort, ROOT } from '../support/demo-stack.js';
import {
  composeCommands,
  ensureDocker,
  ensureStackImage,
  projectResources,
  STACK_IMAGE,
} from '../support/docker.js';
import { removeProjectLeftovers } from '../../src/stack/container-watch.js';
import { dockerCli } from '../../src/stack/docker-cli.js';
import { pullRequestEvent, runAction } from '../support/action-runner.js';
import { runNode } from '../support/run-node.js';

/**
 * The compose example (nginx → FastAPI with a SQLAlchemy pool → PostgreSQL 15) on a real Docker
 * engine, through the bundled CLI: one healthy run and one run per fault, each named with its
 * fix, and nothing of the project left afterwards.
 */
const EXAMPLE = path.join(ROOT, 'examples', 'compose');
const BIN = path.join(ROOT, 'bin', 'loadgate.js');
const SECRET = 'compose-Pa55word-e2e';
let compose = 'docker-compose';
/** Every project a test started: removed after the file even if a test failed half-way. */
const projects: string[] = [];

interface Run {
  code: number | null;
  stderr: string;
  report: JsonReport;
  dir: string;
  project: string;
  ports: { proxy: number; app: number; db: number };
}

async function runCompose(
  options: {
    env?: Record<string, string>;
    ready?: string;
    readyTimeout?: string;
    stop?: string;
    start?: string;
    ramp?: string;
    thresholds?: string;
    ports?: { proxy: number; app: number; db: number };
  } = {},
): Promise<Run> {
  const ports = options.ports ?? {
    proxy: await freePort(),
    app: await freePort(),
    db: await freePort(),
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-compose-'));
  const project = `lg${path
    .basename(dir)
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase()}`;
  const env = {
    PROXY_PORT: String(ports.proxy),
    APP_PORT: String(ports.app),
    DB_PORT: String(ports.db),
    STACK_IMAGE,
    API_PASSWORD: SECRET,
    ...options.env,
  };
  const file = path.join(dir, 'loadgate.yml');
  writeFileSync(
    file,
    `target: http://127.0.0.1:${ports.proxy}
stack:
  cwd: ${JSON.stringify(EXAMPLE)}
  start: ${options.start ?? `${compose} up -d`}
  env: ${JSON.stringify(env)}
  compose-project: ${project}
  ready: ${options.ready ?? `http://127.0.0.1:${ports.proxy}/health`}
  ready-timeout: ${options.readyTimeout ?? '60s'}
  stop: ${options.stop ?? `${compose} down --volumes --timeout 5`}
scenario:
  setup:
    - name: POST /token
      request: { method: POST, url: /token, form: { username: demo, password: '\${env.API_PASSWORD}' } }
      capture: { token: json.access_token }
      check: { status: 200 }
  tasks:
    - request: { method: GET, url: /items, headers: { Authorization: 'Bearer \${token}' } }
  think: 20ms..60ms
stages:
  smoke: { users: 1, iterations: 3 }
  ramp: ${options.ramp ?? '{ users: 20, spawn-rate: 20, duration: 6s }'}
thresholds:
  ${options.thresholds ?? "failure-rate: '< 1%'"}
`,
  );
  const reportPath = path.join(dir, 'report.json');
  const run = await runNode(BIN, ['run', '--config', file, '--json', reportPath], {
    cwd: dir,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, API_PASSWORD: SECRET },
    timeoutMs: 150_000,
  });
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport;
  return { code: run.code, stderr: run.stderr, report, dir, project, ports };
}

function expectNothingLeft(run: Run) {
  expect(projectResources(run.project)).toEqual([]);
}

function topFinding(run: Run) {
  return run.report.findings[0];
}

describe('docker compose stacks (nginx → FastAPI → PostgreSQL, real Docker)', () => {
  beforeAll(async () => {
    await ensureDocker();
    ensureStackImage();
    compose = composeCommands()[0] ?? 'docker-compose';
  }, 600_000);

  afterAll(async () => {
    // a failed test must not leave containers behind for the next run
    const docker = dockerCli(process.env);
    for (const project of projects) await removeProjectLeftovers(docker.run, project);
  });

  it('a healthy stack started detached (up -d) passes, with per-service evidence', async () => {
    const run = await runCompose();
    expect(run.stderr).toContain('loadgate: pass (exit 0)');
    expect(run.code).toBe(0);
    const stack = run.report.stack!;
    expect(stack.detached).toBe(true);
    expect(run.report.reason).toBeUndefined();
    expect(stack.compose).toMatchObject({ project: run.project, source: 'stack.compose-project' });
    const services = Object.fromEntries((stack.services ?? []).map((s) => [s.service, s]));
    expect(Object.keys(services).sort()).toEqual(['app', 'db', 'proxy']);
    for (const name of ['app', 'db']) {
      expect(services[name]!.health, name).toBe('healthy');
    }
    // CPU and memory per service over time, from this project's containers only
    expect(services.app!.samples.length).toBeGreaterThan(1);
    expect(services.app!.peakMemoryMb).toBeGreaterThan(5);
    expect(services.db!.peakMemoryMb).toBeGreaterThan(5);
    // each service's log, with timestamps, kept beside the report; teardown kept apart
    expect(
      services.app!.logTail.some((l) => /^\d\d:\d\d:\d\d\.\d{3} .*Uvicorn running/.test(l)),
    ).toBe(true);
    expect(existsSync(services.db!.logPath!)).toBe(true);
    expect(stack.teardownTail?.join('\n')).toMatch(/down --volumes/);
    expect(stack.logTail.join('\n')).not.toMatch(/Stopping|Removing/);
    expect(readFileSync(path.join(run.dir, 'report.json'), 'utf8')).not.toContain(SECRET);
    expect(run.report.findings.filter((f) => f.priority === 'high')).toEqual([]);
    expectNothingLeft(run);
  });

  it('the app container exits mid-ramp: stack.crashed names the service, exit code and users', async () => {
    const run = await runCompose({ env: { FAULT: 'crash-after', CRASH_AFTER: '60' } });
    expect(run.code).toBe(1);
    const top = topFinding(run)!;
    expect(top.id).toBe('stack.crashed');
    expect(top.title).toBe('Service app exited during the load test (exit code 3)');
    expect(top.evidence[0]).toMatch(
      /^container \S+ exited \(exit code 3\), OOM-killed: no, \d+ s after the stack started, during the ramp stage, with \d+ users$/,
    );
    expect(run.report.plan[0]?.text).toMatch(/^Read the log of service app/);
    const ramp = run.report.stages.find((s) => s.name === 'ramp')!;
    expect(ramp.status).toBe('aborted');
    expect(run.report.reason).toBe('stack');
    expect(run.report.stack?.containerCrash).toMatchObject({
      service: 'app',
      exitCode: 3,
      oomKilled: false,
    });
    expectNothingLeft(run);
  });

  it('the app is OOM-killed under its memory limit: stack.crashed says so and names the limit', async () => {
    const overlay = path.join(ROOT, 'test', 'fixtures', 'compose', 'app-memory-limit.yml');
    const files = `-f docker-compose.yml -f ${overlay}`;
    const run = await runCompose({
      start: `${compose} ${files} up -d`,
      stop: `${compose} ${files} down --volumes --timeout 5`,
    });
    expect(run.code).toBe(1);
    const top = topFinding(run)!;
    expect(top.id).toBe('stack.crashed');
    expect(top.title).toBe('Service app was OOM-killed during the load test (exit code 137)');
    expect(top.evidence[0]).toMatch(/OOM-killed: yes/);
    expect(run.report.plan[0]?.text).toMatch(
      /^Service app ran out of memory: raise its memory limit/,
    );
    expect(run.report.stack?.services?.find((s) => s.service === 'app')).toMatchObject({
      oomKilled: true,
      exitCode: 137,
    });
    // the stop says the same as the finding, as facts and in words
    expect(run.report.errorFact).toMatchObject({
      kind: 'stopped',
      stop: { kind: 'service-crashed', service: 'app', crash: 'oom-killed' },
    });
    expect(run.report.error).toBe('service app was OOM-killed (exit code 137) during the run');
    expectNothingLeft(run);
  });

  it('started in the foreground (up, no -d): an app exit is still seen and named', async () => {
    const run = await runCompose({
      start: `${compose} up`,
      env: { FAULT: 'crash-after', CRASH_AFTER: '60' },
    });
    expect(run.code).toBe(1);
    expect(run.report.stack?.detached).toBeUndefined();
    expect(topFinding(run)?.title).toBe('Service app exited during the load test (exit code 3)');
    // what compose printed while stopping is teardown, not evidence of the run
    expect(run.report.stack?.logTail.join('\n')).not.toMatch(/Stopping|Gracefully stopping/);
    expectNothingLeft(run);
  });

  it('nginx cannot reach the app (wrong upstream port): proxy.upstream-unreachable, not server errors', async () => {
    const proxy = await freePort();
    const run = await runCompose({
      env: { UPSTREAM_PORT: String(await freePort()) },
      ports: { proxy, app: await freePort(), db: await freePort() },
      // ready once nginx listens (its upstream is what is wrong)
      ready: `tcp://127.0.0.1:${proxy}`,
    });
    expect(run.code).toBe(1);
    const top = topFinding(run)!;
    expect(top.id).toBe('proxy.upstream-unreachable');
    expect(top.title).toMatch(
      /^nginx answers 502 for POST \/token: it cannot reach the app behind it \(connection refused\)$/,
    );
    expect(top.evidence.join('\n')).toMatch(
      /log: proxy \| .*connect\(\) failed \(111: Connection refused\) while connecting to upstream/,
    );
    expect(run.report.plan[0]?.text).toMatch(
      /^Check that the app runs and listens where nginx sends requests \(http:\/\/127\.0\.0\.1:\d+\/token\)/,
    );
    expect(run.report.findings.map((f) => f.id)).not.toContain('server.errors');
    expectNothingLeft(run);
  });

  it("nginx's limit_req answers 503: rate-limited with the proxy setting, not server errors", async () => {
    const run = await runCompose({ env: { LIMIT_RATE: '5r/s' } });
    expect(run.code).toBe(1);
    const top = topFinding(run)!;
    expect(top.id).toBe('rate-limited');
    expect(top.title).toMatch(
      /^nginx's rate limiter \(limit_req zone "api"\) rejects (POST \/token|GET \/items) with 503: the app never saw these requests$/,
    );
    expect(run.report.plan[0]?.text).toMatch(
      /raise `limit_req` \(zone api\).*`limit_req_status 429;`/,
    );
    expect(run.report.findings.map((f) => f.id)).not.toContain('server.errors');
    expectNothingLeft(run);
  });

  it('a 504 at the proxy read timeout: proxy.upstream-timeout; `stop` that leaves containers is cleaned up', async () => {
    const run = await runCompose({
      env: { FAULT: 'slow-query', SLOW_SECONDS: '2', READ_TIMEOUT: '1s' },
      stop: `${compose} stop --timeout 5`,
    });
    expect(run.code).toBe(1);
    const top = topFinding(run)!;
    expect(top.id).toBe('proxy.upstream-timeout');
    expect(top.title).toBe('nginx gave up waiting for the app on GET /items (504 Gateway Timeout)');
    expect(top.evidence.join('\n')).toMatch(/upstream timed out/);
    expect(run.report.plan[0]?.text).toMatch(/`proxy_read_timeout`/);
    // `stop` only stopped the containers: loadgate removed them by label
    expect(
      run.report.stack?.compose?.leftovers?.filter((l) => l.startsWith('container ')).length,
    ).toBe(3);
    expectNothingLeft(run);
  });

  it('a connection pool too small for the load: database.pool-exhausted from the app log', async () => {
    const run = await runCompose({
      env: { FAULT: 'slow-query', SLOW_SECONDS: '0.4', POOL_SIZE: '1' },
    });
    expect(run.code).toBe(1);
    const top = topFinding(run)!;
    expect(top.id).toBe('database.pool-exhausted');
    expect(top.title).toMatch(
      /^The app's database connection pool is exhausted \(1 connection for 20 users\)/,
    );
    expect(top.evidence.join('\n')).toMatch(
      /log: app \| .*QueuePool limit of size 1 overflow 0 reached/,
    );
    expectNothingLeft(run);
  });

  it('the database refuses the app: database.unavailable from the app log', async () => {
    const ports = { proxy: await freePort(), app: await freePort(), db: await freePort() };
    const run = await runCompose({
      ports,
      env: {
        DATABASE_URL: `postgresql+psycopg2://postgres@127.0.0.1:${await freePort()}/postgres`,
      },
      ready: `http://127.0.0.1:${ports.proxy}/livez`,
    });
    expect(run.code).toBe(1);
    const top = topFinding(run)!;
    expect(top.id).toBe('database.unavailable');
    expect(top.evidence.join('\n')).toMatch(/log: app \| .*OperationalError.*Connection refused/);
    expectNothingLeft(run);
  });

  it('bad input: an invalid compose file is stack.not-ready with compose’s own message, exit 2', async () => {
    const run = await runCompose({ start: `${compose} -f no-such-compose.yml up -d` });
    expect(run.code).toBe(2);
    const top = topFinding(run)!;
    expect(top.id).toBe('stack.not-ready');
    expect(top.evidence[0]).toMatch(
      /^the start command exited \(exit code [1-9]\d*\) before the stack became ready$/,
    );
    expect(top.evidence.join('\n')).toMatch(/no-such-compose\.yml/);
    expectNothingLeft(run);
  });

  it('bad input: the Docker daemon is not reachable: stack.docker-unavailable says how to start it', async () => {
    const run = await runCompose({ env: { DOCKER_HOST: 'unix:///tmp/loadgate-no-docker.sock' } });
    expect(run.code).toBe(2);
    const top = topFinding(run)!;
    expect(top.id).toBe('stack.docker-unavailable');
    expect(run.report.plan[0]?.text).toMatch(/the Docker daemon is not running .*start it/);
  });

  it("bad input: a service's port already in use names the service and the port", async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const db = (blocker.address() as net.AddressInfo).port;
    try {
      const run = await runCompose({
        ports: { proxy: await freePort(), app: await freePort(), db },
        readyTimeout: '15s',
      });
      expect(run.code).toBe(2);
      const top = topFinding(run)!;
      expect(top.id).toBe('stack.not-ready');
      expect(top.evidence.join('\n')).toMatch(/service db: exited \(exit code [1-9]/);
      expect(run.report.plan[0]?.text).toMatch(
        /^A port of the stack is already taken on the runner \(.*(Address already in use|could not bind)/i,
      );
      expectNothingLeft(run);
    } finally {
      blocker.close();
    }
  }, 120_000);

  it("the action's post step removes what a killed main step left of the compose project", async () => {
    const project = `lgpost${process.pid}`;
    projects.push(project);
    const label = `com.docker.compose.project=${project}`;
    execFileSync('docker', ['volume', 'create', '--label', label, `${project}_data`]);
    execFileSync('docker', [
      'run',
      '-d',
      '--network',
      'host',
      '--label',
      label,
      '--label',
      'com.docker.compose.service=app',
      '--name',
      `${project}_app_1`,
      '-v',
      `${project}_data:/data`,
      STACK_IMAGE,
      'sleep',
      '300',
    ]);
    expect(projectResources(project)).toHaveLength(2);
    const run = await runAction({
      entry: 'dist/post/index.js',
      inputs: {},
      event: pullRequestEvent(1),
      apiUrl: 'http://127.0.0.1:9',
      env: { 'STATE_compose-project': project },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `removed what the main step left of compose project ${project}: container ${project}_app_1, volume ${project}_data`,
    );
    expect(projectResources(project)).toEqual([]);
  });
});
