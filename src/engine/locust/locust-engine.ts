import { spawn } from 'node:child_process';
import net from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, stopFactOf } from '../../shared/errors.js';
import { SECRET_NAME } from '../../shared/secrets.js';
import type { StageResult, WorkerReport } from '../../model/run-result.js';
import type { Engine, EngineContext, StageSpec } from '../engine.js';
import type { LocustOptions } from '../../config/engine-options.js';
import { generateLocustfile } from './generate-locustfile.js';
import { stageFromLocustCsv, type LocustEvidence } from './locust-csv.js';
import { LOCUST_LAUNCHER } from './locust-launcher.js';
import { watchProcessCpu, type ProcessCpu } from './process-cpu.js';

/** The interpreter of a locust script, from its shebang (python3 when it has none). */
function pythonOf(locust: string): string[] {
  try {
    const first = readFileSync(locust, 'utf8').split('\n', 1)[0] ?? '';
    if (first.startsWith('#!')) return first.slice(2).trim().split(/\s+/);
  } catch {
    // not readable: fall through
  }
  return ['python3'];
}

/** Where locust is, or an error that says how to install it. */
export function findLocust(
  command?: string,
  searchPath = process.env.PATH ?? '',
  debian = '/usr/bin/locust',
): string {
  if (command && existsSync(command)) return command;
  if (!command && existsSync(debian)) return debian;
  for (const dir of command ? [] : searchPath.split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'locust'))) return path.join(dir, 'locust');
  }
  throw new Error(
    `engine: locust: Locust is not installed${command ? ` at ${command}` : ''}: \`pip install locust\` (or \`apt-get install python3-locust\`)`,
  );
}

/**
 * The Locust engine: runs a locustfile headless for each stage through loadgate's launcher
 * (smoke: its users until each ran its iterations; ramp: users, spawn rate, duration) and reads
 * Locust's final numbers and the launcher's evidence into the same StageResult as the built-in
 * engine.
 */
export function createLocustEngine(options: LocustOptions = {}): Engine {
  const locust = findLocust(options.command);
  // the busiest Locust process of each stage (a master or worker is one Python thread)
  let busiestCpuSeconds = 0;
  let wallSeconds = 0;
  const account = (processes: ProcessCpu[]) => {
    const busiest = processes.reduce((a, b) =>
      b.cpuSeconds / (b.wallSeconds || 1) > a.cpuSeconds / (a.wallSeconds || 1) ? b : a,
    );
    busiestCpuSeconds += busiest.cpuSeconds;
    wallSeconds += busiest.wallSeconds;
  };
  async function runStageIn(
    dir: string,
    spec: StageSpec,
    context: EngineContext,
  ): Promise<StageResult> {
    const locustfile = options.locustfile ?? path.join(dir, 'locustfile.py');
    if (!options.locustfile) writeFileSync(locustfile, generateLocustfile(context.scenario));
    const smoke = spec.name === 'smoke';
    const seconds = smoke ? 0 : Math.max(1, Math.round(spec.durationMs / 1000));
    const args = [
      '-f',
      locustfile,
      '--headless',
      '--host',
      context.target,
      '-u',
      String(spec.users),
      '-r',
      String(smoke ? spec.users : spec.spawnRate),
      // the launcher ends the stage (smoke: after its iterations; ramp: after its duration);
      // Locust's own limit is only a backstop
      '-t',
      `${smoke ? SMOKE_BACKSTOP_SECONDS : seconds + 30}s`,
      '--csv',
      path.join(dir, 'run'),
      '--csv-full-history',
      '--only-summary',
      '--stop-timeout',
      '2',
    ];
    // what the launcher does in each process (see locust-launcher.ts); a worker only records
    const workerEnv = {
      ...context.env,
      LOADGATE_OUT: dir,
      LOADGATE_ITERATIONS: undefined,
      LOADGATE_USERS: undefined,
      LOADGATE_RUN_SECONDS: undefined,
    };
    const env = {
      ...workerEnv,
      ...(smoke
        ? { LOADGATE_ITERATIONS: String(spec.iterations), LOADGATE_USERS: String(spec.users) }
        : { LOADGATE_RUN_SECONDS: String(seconds) }),
    };
    const startedAt = new Date();
    const start = performance.now();
    context.onEvent?.({ type: 'stage-start', stage: spec.name, users: spec.users });
    const launcher = path.join(dir, 'launch_locust.py');
    writeFileSync(launcher, LOCUST_LAUNCHER);
    const [python = 'python3', ...pythonArgs] = pythonOf(locust);
    const command = [python, ...pythonArgs, launcher];
    const distributed = (options.workers ?? 0) > 0 || (options.expectWorkers ?? 0) > 0;
    let outcome: RunOutcome;
    const workerRuns: RunOutcome[] = [];
    let masterAddress = '';
    if (!distributed || smoke) {
      outcome = await run(command, args, env, context.signal);
      account([outcome.cpu]);
    } else {
      const bind = options.masterBind ?? { host: '127.0.0.1', port: await freePort() };
      masterAddress = `${bind.host}:${bind.port}`;
      const workers = options.workers ?? 0;
      const expected = options.expectWorkers ?? workers;
      const master = run(
        command,
        [
          ...args,
          '--master',
          '--expect-workers',
          String(expected),
          // local workers join at once; remote ones may take a while to be scheduled
          '--expect-workers-max-wait',
          String(options.workersWaitSeconds ?? (expected > workers ? 300 : 60)),
          '--master-bind-host',
          bind.host,
          '--master-bind-port',
          String(bind.port),
        ],
        env,
        context.signal,
      );
      const masterHost = bind.host === '0.0.0.0' ? '127.0.0.1' : bind.host;
      const stopWorkers = new AbortController();
      const local = Array.from({ length: workers }, () =>
        run(
          command,
          [
            '-f',
            locustfile,
            '--worker',
            '--master-host',
            masterHost,
            '--master-port',
            String(bind.port),
          ],
          workerEnv,
          AbortSignal.any([stopWorkers.signal, ...(context.signal ? [context.signal] : [])]),
        ),
      );
      outcome = await master;
      // a worker still running once the master is gone would never stop on its own
      const late = setTimeout(
        () => stopWorkers.abort(new Error('the master exited')),
        WORKER_GRACE_MS,
      );
      workerRuns.push(...(await Promise.all(local)));
      clearTimeout(late);
      account([outcome.cpu, ...workerRuns.map((w) => w.cpu)]);
    }
    const { code, aborted } = outcome;
    const durationMs = Math.round(performance.now() - start);
    const read = (file: string) => {
      try {
        return readFileSync(path.join(dir, file), 'utf8');
      } catch {
        return '';
      }
    };
    // Locust's final numbers, written once every user stopped; else its periodic CSV files
    const final = read('final_stats.csv') !== '';
    const stats = read(final ? 'final_stats.csv' : 'run_stats.csv');
    const joined = [
      ...outcome.stderr.matchAll(/Waiting for workers to be ready, (\d+) of (\d+)/g),
    ].pop();
    if (!aborted && joined && outcome.stderr.includes('Gave up waiting for workers')) {
      throw new Error(
        `engine: locust: only ${joined[1]} of ${joined[2]} workers (locust.expect-workers) joined the master at ${masterAddress} in time; the others cannot reach it, or their locustfile failed${workerRuns.length ? `:\n${failureText(workerRuns)}` : ''}`,
      );
    }
    if (!stats && !aborted) {
      throw new ConfigError(
        `engine: locust: the locustfile ${locustfile} failed before any load ran (locust exited with ${code}):\n${failureText([outcome, ...workerRuns])}`,
      );
    }
    const raised = handlerError([outcome, ...workerRuns]);
    if (raised && !aborted) {
      throw new ConfigError(
        `engine: locust: the locustfile ${locustfile} raised in a Locust event handler:\n${raised}`,
      );
    }
    const parsed = stageFromLocustCsv(
      {
        stats,
        failures: read(final ? 'final_failures.csv' : 'run_failures.csv'),
        history: read('run_stats_history.csv'),
        exceptions: read(final ? 'final_exceptions.csv' : 'run_exceptions.csv'),
      },
      context.target,
      durationMs,
      readEvidence(dir),
      secretsOf(context.env),
    );
    const workers = distributed && !smoke ? workerReports(read('workers.json'), workerRuns) : [];
    // CPU per generator process: a Locust process is one Python thread, so ~100% is saturated
    const processes = [
      { process: 'master', cpuPercent: cpuPercent(outcome.cpu) },
      ...workerRuns.map((w, i) => ({
        process: `local worker ${i + 1}`,
        cpuPercent: cpuPercent(w.cpu),
      })),
    ];
    const lost = workers.filter((w) => w.state === 'missing' || w.state === 'exited');
    // a smoke stage whose script raised is a broken test, not a passing one
    const scriptBroken = smoke && (parsed.exceptions?.length ?? 0) > 0;
    const stop = aborted ? stopFactOf(context.signal?.reason) : undefined;
    const reason = stop
      ? undefined
      : aborted
        ? String((context.signal?.reason as Error)?.message ?? 'the run was stopped')
        : scriptBroken
          ? `the locustfile raised ${parsed.exceptions?.[0]?.count} × ${parsed.exceptions?.[0]?.message}`
          : lost.length > 0
            ? `worker ${lost.map((w) => w.id).join(', ')} stopped reporting during the stage`
            : undefined;
    const result: StageResult = {
      name: spec.name,
      status: aborted ? 'aborted' : scriptBroken || lost.length > 0 ? 'failed' : 'completed',
      ...(reason ? { reason } : {}),
      ...(stop ? { reasonFact: { kind: 'stopped' as const, stop } } : {}),
      users: spec.users,
      peakUsers: Math.max(
        0,
        ...parsed.timeline.map((p) => p.users),
        parsed.total.requests > 0 ? Math.min(spec.users, 1) : 0,
      ),
      startedAt: startedAt.toISOString(),
      durationMs,
      ...parsed,
      ...(workers.length > 0 ? { workers, generatorProcesses: processes } : {}),
    };
    context.onEvent?.({ type: 'stage-end', stage: spec.name, result });
    return result;
  }
  return {
    name: 'locust',
    async runStage(spec: StageSpec, context: EngineContext): Promise<StageResult> {
      const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-locust-'));
      try {
        return await runStageIn(dir, spec, context);
      } finally {
        // the launcher's evidence is unredacted: it does not outlive the stage
        rmSync(dir, { recursive: true, force: true });
      }
    },
    generatorStats() {
      // CPU of the busiest Locust process, from /proc; Locust has no event loop to time
      const cpuPercent = wallSeconds > 0 ? (busiestCpuSeconds / wallSeconds) * 100 : 0;
      return { cpuPercent: Math.round(cpuPercent * 10) / 10, maxEventLoopLagMs: 0 };
    },
  };
}

/** How long the smoke stage may run before Locust stops it (the launcher ends it sooner). */
const SMOKE_BACKSTOP_SECONDS = 300;
/** How long local workers have to exit once the master did. */
const WORKER_GRACE_MS = 10_000;

interface RunOutcome {
  code: number | null;
  stderr: string;
  aborted: boolean;
  cpu: ProcessCpu;
}

/** Runs locust in its own process group; an abort stops it (TERM, then KILL after 5 s). */
function run(
  command: string[],
  args: string[],
  env: Record<string, string | undefined>,
  signal: AbortSignal | undefined,
): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0] as string, [...command.slice(1), ...args], {
      env: env as NodeJS.ProcessEnv,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    let aborted = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-20_000);
    });
    const stop = () => {
      aborted = true;
      try {
        process.kill(-(child.pid as number), 'SIGTERM');
      } catch {
        // already gone
      }
      setTimeout(() => {
        try {
          process.kill(-(child.pid as number), 'SIGKILL');
        } catch {
          // gone
        }
      }, 5000).unref();
    };
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
    child.once('error', (error) =>
      reject(new Error(`engine: cannot run ${command.join(' ')}: ${error.message}`)),
    );
    const cpu = child.pid ? watchProcessCpu(child.pid) : undefined;
    child.once('close', (code) => {
      signal?.removeEventListener('abort', stop);
      resolve({
        code,
        stderr,
        aborted,
        cpu: cpu?.stop() ?? { cpuSeconds: 0, wallSeconds: 0 },
      });
    });
  });
}

/** The traceback (or last lines) each failed Locust process printed. */
function failureText(runs: RunOutcome[]): string {
  return runs
    .filter((r) => r.code !== 0 && r.stderr.trim())
    .map((r) => {
      const lines = r.stderr.trimEnd().split('\n');
      const traceback = lines.findIndex((l) => l.startsWith('Traceback'));
      return (traceback >= 0 ? lines.slice(traceback) : lines.slice(-10)).slice(-40).join('\n');
    })
    .filter((text, i, all) => all.indexOf(text) === i)
    .join('\n---\n');
}

/**
 * The traceback of an exception raised by a locustfile's event handler (init, test_start...):
 * Locust logs it and carries on, with a locustfile that did not set up what it meant to.
 */
function handlerError(runs: RunOutcome[]): string | undefined {
  for (const { stderr } of runs) {
    const at = stderr.indexOf('Uncaught exception in event handler');
    if (at < 0) continue;
    const lines = stderr.slice(at).split('\n').slice(1);
    const end = lines.findIndex((l) => /^\[\d{4}-/.test(l));
    return lines
      .slice(0, end < 0 ? 40 : Math.min(end, 40))
      .join('\n')
      .trim();
  }
  return undefined;
}

/** Every process's evidence-<pid>.json, merged. */
function readEvidence(dir: string): LocustEvidence {
  const merged: LocustEvidence = { statuses: [], samples: [] };
  for (const file of readdirSync(dir).filter((f) => /^evidence-\d+\.json$/.test(f))) {
    let part: LocustEvidence;
    try {
      part = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as LocustEvidence;
    } catch {
      continue; // a process killed while writing: its evidence is lost, not the stage
    }
    for (const s of part.statuses ?? []) {
      const same = merged.statuses.find(
        (m) => m.method === s.method && m.name === s.name && m.status === s.status,
      );
      if (same) same.count += s.count;
      else merged.statuses.push({ ...s });
    }
    for (const sample of part.samples ?? []) {
      const seen = merged.samples.some(
        (m) => m.method === sample.method && m.name === sample.name && m.error === sample.error,
      );
      if (!seen) merged.samples.push(sample);
    }
  }
  return merged;
}

/** Values of secret-looking environment variables: a locustfile may send them. */
function secretsOf(env: Record<string, string | undefined>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value && value.length >= 4)
    .map(([, value]) => value as string);
}

function cpuPercent(cpu: ProcessCpu): number {
  return cpu.wallSeconds > 0 ? Math.round((cpu.cpuSeconds / cpu.wallSeconds) * 1000) / 10 : 0;
}

/** What a worker logs when the master tells it to stop: the only way it should end. */
const TOLD_TO_QUIT = 'Got quit message from master';

/**
 * What the master heard from each worker, and the local workers that ended without the master
 * telling them to (killed, or their locustfile failed).
 */
function workerReports(json: string, local: RunOutcome[]): WorkerReport[] {
  let reported: { id: string; users: number; requests: number; state?: string }[] = [];
  try {
    reported = JSON.parse(json || '[]') as typeof reported;
  } catch {
    // no report: the master died
  }
  const workers: WorkerReport[] = reported.map((w) => ({
    id: w.id,
    users: w.users,
    requests: w.requests,
    state: w.state ?? 'unknown',
  }));
  local.forEach((w, i) => {
    if (!w.aborted && !w.stderr.includes(TOLD_TO_QUIT)) {
      workers.push({
        id: `local worker ${i + 1}`,
        users: 0,
        requests: 0,
        state: 'exited',
        exitCode: w.code ?? -1,
        error: failureText([{ ...w, code: w.code ?? -1 }]) || 'no output',
      });
    }
  });
  return workers;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
