import { mkdtempSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { StackConfig } from '../../src/config/schema.js';
import type { ResourceSample } from '../../src/model/stack-evidence.js';
import { readLogTail } from '../../src/stack/log-tail.js';
import { livePidsInGroup } from '../../src/stack/process-group.js';
import { portInUse } from '../../src/stack/port-check.js';
import { startResourceSampler } from '../../src/stack/resource-sampler.js';
import {
  collectedLogPath,
  startStack,
  stopStack,
  teardownLogPath,
  waitUntilReady,
  type RunningStack,
} from '../../src/stack/stack-process.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const started: RunningStack[] = [];

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function stackConfig(start: string, extra: Partial<StackConfig> = {}): StackConfig {
  return {
    start,
    env: {},
    readyTimeoutMs: 10_000,
    cwd: undefined,
    ready: undefined,
    readyLog: undefined,
    stop: undefined,
    logs: undefined,
    composeProject: undefined,
    ...extra,
  };
}

async function start(config: StackConfig) {
  const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-stack-'));
  const stack = await startStack(config, {
    baseDir: fixtures,
    logPath: path.join(dir, 'stack.log'),
  });
  started.push(stack);
  return { stack, dir };
}

afterEach(async () => {
  for (const stack of started.splice(0))
    await stopStack(stack, stackConfig('true'), { baseDir: fixtures, graceMs: 200 });
});

describe('stack', () => {
  it('starts a server in its own process group, sees it ready over HTTP, and leaves nothing running', async () => {
    const port = await freePort();
    const config = stackConfig('node tiny-server.mjs', { env: { PORT: String(port) } });
    const { stack } = await start(config);
    expect(stack.pgid).toBeGreaterThan(0);
    expect(livePidsInGroup(stack.pgid).length).toBeGreaterThanOrEqual(1);
    const ready = await waitUntilReady(
      stack,
      { probe: { kind: 'http', url: `http://127.0.0.1:${port}/health` } },
      10_000,
    );
    expect(ready.ready).toBe(true);
    await stopStack(stack, config, { baseDir: fixtures });
    expect(livePidsInGroup(stack.pgid)).toEqual([]);
    expect(readFileSync(stack.logPath, 'utf8')).toContain(`listening on ${port}`);
  });

  it('sees readiness over tcp://', async () => {
    const port = await freePort();
    const { stack } = await start(
      stackConfig('node tiny-server.mjs', { env: { PORT: String(port) } }),
    );
    expect(
      (await waitUntilReady(stack, { probe: { kind: 'tcp', host: '127.0.0.1', port } }, 10_000))
        .ready,
    ).toBe(true);
  });

  it('reports a stack that never becomes ready, with the last probe result', async () => {
    const port = await freePort();
    const { stack } = await start(stackConfig('echo booting; sleep 30'));
    const ready = await waitUntilReady(
      stack,
      { probe: { kind: 'http', url: `http://127.0.0.1:${port}/health` } },
      700,
    );
    expect(ready).toEqual({
      ready: false,
      fact: {
        kind: 'not-ready',
        timeoutMs: 700,
        detached: false,
        lastCheck: {
          kind: 'no-answer',
          url: `http://127.0.0.1:${port}/health`,
          error: 'ECONNREFUSED',
        },
      },
    });
    expect(readLogTail(stack.logPath)).toEqual(['booting']);
  });

  it('reports a start command that exits before it is ready, with its exit code', async () => {
    const { stack } = await start(
      stackConfig('echo "Error: cannot connect to database" >&2; exit 3'),
    );
    const ready = await waitUntilReady(
      stack,
      { probe: { kind: 'tcp', host: '127.0.0.1', port: await freePort() } },
      10_000,
    );
    expect(ready).toEqual({ ready: false, fact: { kind: 'exited', code: 3, signal: null } });
    expect(readLogTail(stack.logPath)).toEqual(['Error: cannot connect to database']);
  });

  it('kills a stack that ignores TERM after the grace period', async () => {
    const { stack } = await start(stackConfig("trap '' TERM; while true; do sleep 0.1; done"));
    await new Promise((r) => setTimeout(r, 100));
    await stopStack(stack, stackConfig('x'), { baseDir: fixtures, graceMs: 300 });
    expect(livePidsInGroup(stack.pgid)).toEqual([]);
    expect((await stack.exited).signal).toBe('SIGKILL');
  });

  it('leaves no child or grandchild behind', async () => {
    const { stack } = await start(
      stackConfig('sleep 60 & (sleep 60 & sleep 60) & sh -c "sleep 60 & wait" & wait'),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(livePidsInGroup(stack.pgid).length).toBeGreaterThanOrEqual(5);
    await stopStack(stack, stackConfig('x'), { baseDir: fixtures });
    expect(livePidsInGroup(stack.pgid)).toEqual([]);
  });

  it('runs stack.logs then stack.stop at teardown, with stack.env, apart from the stack log', async () => {
    const config = stackConfig('echo started; sleep 60', {
      env: { STOP_WORD: 'from-stack-env' },
      stop: 'echo stopping with $STOP_WORD',
      logs: 'echo collected logs',
    });
    const { stack } = await start(config);
    await waitUntilReady(stack, { logPattern: '^started$' }, 5000);
    await stopStack(stack, config, { baseDir: fixtures });
    // the start command's log is never truncated or appended to by teardown
    expect(readLogTail(stack.logPath)).toEqual(['started']);
    expect(readLogTail(collectedLogPath(stack))).toEqual([
      '[loadgate] $ echo collected logs',
      'collected logs',
    ]);
    expect(readLogTail(teardownLogPath(stack))).toEqual([
      '[loadgate] $ echo stopping with $STOP_WORD',
      'stopping with from-stack-env',
    ]);
    expect(livePidsInGroup(stack.pgid)).toEqual([]);
  });

  it('a start command that returns 0 is a detached start: readiness decides', async () => {
    const port = await freePort();
    // the script starts a server in the background and returns at once
    const { stack } = await start(
      stackConfig(
        `node -e "require('net').createServer().listen(${port}, '127.0.0.1')" > /dev/null 2>&1 & exit 0`,
      ),
    );
    const outcome = await waitUntilReady(
      stack,
      { probe: { kind: 'tcp', host: '127.0.0.1', port } },
      10_000,
    );
    expect(outcome.ready).toBe(true);
    expect(stack.exit?.code).toBe(0);
  });

  it('a start command that returns 0 with nothing listening times out saying it was detached', async () => {
    const port = await freePort();
    const { stack } = await start(stackConfig('exit 0'));
    const outcome = await waitUntilReady(
      stack,
      { probe: { kind: 'tcp', host: '127.0.0.1', port } },
      600,
    );
    expect(outcome).toMatchObject({
      ready: false,
      fact: {
        kind: 'not-ready',
        timeoutMs: 600,
        detached: true,
        lastCheck: { kind: 'no-answer', url: `tcp://127.0.0.1:${port}`, error: 'ECONNREFUSED' },
      },
    });
  });

  it('a start command that fails before ready is not-ready at once, with its exit code', async () => {
    const { stack } = await start(stackConfig('echo compose says no >&2; exit 14'));
    const outcome = await waitUntilReady(stack, { logPattern: 'never' }, 10_000);
    expect(outcome).toEqual({ ready: false, fact: { kind: 'exited', code: 14, signal: null } });
    expect(readLogTail(stack.logPath)).toEqual(['compose says no']);
  });

  it('refuses a cwd that does not exist, naming the key', async () => {
    await expect(
      startStack(stackConfig('true', { cwd: 'no/such/folder' }), {
        baseDir: fixtures,
        logPath: path.join(tmpdir(), 'x.log'),
      }),
    ).rejects.toThrow(/^stack.cwd: folder .*no\/such\/folder does not exist$/);
  });

  it('samples CPU and memory of the whole process group', async () => {
    // two busy children: the group's CPU is theirs, summed
    const { stack } = await start(stackConfig('node -e "for(;;){}" & node -e "for(;;){}" & wait'));
    // the group's CPU is the sum of its busy children: well above its busiest one alone (on a busy
    // machine the loops get less of a core each, so no absolute figure; sample again up to 5 times)
    const summed = (s: ResourceSample) =>
      s.busiestProcessCpuPercent !== undefined &&
      s.busiestProcessCpuPercent > 5 &&
      s.cpuPercent > 1.4 * s.busiestProcessCpuPercent;
    let samples: ResourceSample[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const sampler = startResourceSampler(stack.pgid, { intervalMs: 200 });
      await new Promise((r) => setTimeout(r, 1100));
      samples = sampler.stop();
      if (samples.some(summed)) break;
    }
    expect(samples.length).toBeGreaterThanOrEqual(3);
    const last = samples[samples.length - 1]!;
    expect(last.processes).toBe(3);
    expect(last.rssMb).toBeGreaterThan(20);
    expect(samples.some(summed)).toBe(true);
    // the busiest single process is one of the two: part of the group's total, never more
    for (const s of samples) expect(s.busiestProcessCpuPercent).toBeLessThanOrEqual(s.cpuPercent);
    // a busy loop never idles: its thread is on a CPU or waiting for one all the time
    expect(Math.max(...samples.map((s) => s.busiestThreadBusyPercent ?? 0))).toBeGreaterThan(80);
  });

  it('tells a port in use from a free one', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as net.AddressInfo;
    expect(await portInUse('127.0.0.1', port)).toBe(true);
    await new Promise((r) => server.close(r));
    expect(await portInUse('127.0.0.1', port)).toBe(false);
  });

  it('is ready when a log line matches stack.ready-log', async () => {
    const { stack } = await start(
      stackConfig('sleep 0.3; echo "INFO: Uvicorn running on http://127.0.0.1"; sleep 30'),
    );
    const ready = await waitUntilReady(stack, { logPattern: 'Uvicorn running on' }, 10_000);
    expect(ready.ready).toBe(true);
  });

  it('accepts the statuses of stack.ready-status instead of 2xx', async () => {
    const port = await freePort();
    const { stack } = await start(
      stackConfig('node tiny-server.mjs', { env: { PORT: String(port) } }),
    );
    const url = `http://127.0.0.1:${port}/not-health`;
    const refused = await waitUntilReady(stack, { probe: { kind: 'http', url } }, 600);
    expect(refused).toMatchObject({
      ready: false,
      fact: { kind: 'not-ready', lastCheck: { kind: 'status', url, status: 404 } },
    });
    const ready = await waitUntilReady(
      stack,
      { probe: { kind: 'http', url, statuses: [404] } },
      10_000,
    );
    expect(ready.ready).toBe(true);
  });
});
