import { spawn } from 'node:child_process';
import net from 'node:net';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StageResult } from '../../model/run-result.js';
import type { Engine, EngineContext, StageSpec } from '../engine.js';
import { generateLocustfile } from './generate-locustfile.js';
import { stageFromLocustCsv } from './locust-csv.js';
import { watchProcessCpu, type ProcessCpu } from './process-cpu.js';

export interface LocustOptions {
  /** A user's locustfile (absolute); else one is generated from the scenario. */
  locustfile?: string;
  /** Distributed mode: this many local worker processes under one master. */
  workers?: number;
  /** Distributed mode: wait for this many workers in all (local + remote) before starting. */
  expectWorkers?: number;
  /** Where the master listens for workers ("0.0.0.0:5557" lets remote workers join). */
  masterBind?: { host: string; port: number };
  /** The locust command; default: Debian's /usr/bin/locust when present, else `locust` on PATH. */
  command?: string;
}

/**
 * Starts Locust's CLI with a version it can agree on: Debian's python3-locust 2.12 reports an
 * empty version ("0.0.0" to its metadata), and its master then rejects its own workers as
 * "pre 2.0". Every process of a run goes through this same wrapper, so they all agree.
 */
const LAUNCHER = `import importlib.metadata, sys, types
try:
    version = importlib.metadata.version("locust") or ""
except Exception:
    version = ""
if version in ("", "0.0.0"):
    module = types.ModuleType("locust._version")
    module.version = module.__version__ = "2.12.1"
    sys.modules["locust._version"] = module
import locust.main
sys.argv[0] = "locust"
sys.exit(locust.main.main())
`;

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
 * The Locust engine: runs a locustfile headless for each stage (smoke: its users for about one
 * second per iteration; ramp: users, spawn rate, duration) and reads its --csv output into the
 * same StageResult as the built-in engine.
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
  return {
    name: 'locust',
    async runStage(spec: StageSpec, context: EngineContext): Promise<StageResult> {
      const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-locust-'));
      const locustfile = options.locustfile ?? path.join(dir, 'locustfile.py');
      if (!options.locustfile) writeFileSync(locustfile, generateLocustfile(context.scenario));
      const seconds =
        spec.name === 'smoke'
          ? Math.max(2, spec.iterations)
          : Math.max(1, Math.round(spec.durationMs / 1000));
      const spawnRate = spec.name === 'smoke' ? spec.users : spec.spawnRate;
      const args = [
        '-f',
        locustfile,
        '--headless',
        '--host',
        context.target,
        '-u',
        String(spec.users),
        '-r',
        String(spawnRate),
        '-t',
        `${seconds}s`,
        '--csv',
        path.join(dir, 'run'),
        '--csv-full-history',
        '--only-summary',
        '--stop-timeout',
        '2',
      ];
      const startedAt = new Date();
      const start = performance.now();
      context.onEvent?.({ type: 'stage-start', stage: spec.name, users: spec.users });
      const launcher = path.join(dir, 'launch_locust.py');
      writeFileSync(launcher, LAUNCHER);
      const [python = 'python3', ...pythonArgs] = pythonOf(locust);
      const command = [python, ...pythonArgs, launcher];
      const distributed = (options.workers ?? 0) > 0 || (options.expectWorkers ?? 0) > 0;
      let outcome;
      if (!distributed || spec.name === 'smoke') {
        outcome = await run(command, args, context);
        account([outcome.cpu]);
      } else {
        const bind = options.masterBind ?? { host: '127.0.0.1', port: await freePort() };
        const workers = options.workers ?? 0;
        const master = run(
          command,
          [
            ...args,
            '--master',
            '--expect-workers',
            String(options.expectWorkers ?? workers),
            '--master-bind-host',
            bind.host,
            '--master-bind-port',
            String(bind.port),
          ],
          context,
        );
        const masterHost = bind.host === '0.0.0.0' ? '127.0.0.1' : bind.host;
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
            context,
          ),
        );
        outcome = await master;
        account([outcome.cpu, ...(await Promise.all(local)).map((w) => w.cpu)]);
      }
      const { code, stderr, aborted } = outcome;
      const durationMs = Math.round(performance.now() - start);
      const read = (suffix: string) => {
        try {
          return readFileSync(path.join(dir, `run_${suffix}.csv`), 'utf8');
        } catch {
          return '';
        }
      };
      const stats = read('stats');
      if (!stats && !aborted) {
        throw new Error(
          `engine: locust exited with ${code} and wrote no statistics: ${stderr.trim().split('\n').slice(-5).join(' | ')}`,
        );
      }
      const parsed = stageFromLocustCsv(
        {
          stats,
          failures: read('failures'),
          history: read('stats_history'),
          exceptions: read('exceptions'),
        },
        context.target,
        durationMs,
      );
      // a smoke stage whose script raised is a broken test, not a passing one
      const scriptBroken = spec.name === 'smoke' && (parsed.exceptions?.length ?? 0) > 0;
      const result: StageResult = {
        name: spec.name,
        status: aborted ? 'aborted' : scriptBroken ? 'failed' : 'completed',
        ...(scriptBroken && !aborted
          ? {
              reason: `the locustfile raised ${parsed.exceptions?.[0]?.count} × ${parsed.exceptions?.[0]?.message}`,
            }
          : {}),
        ...(aborted
          ? { reason: String((context.signal?.reason as Error)?.message ?? 'the run was stopped') }
          : {}),
        users: spec.users,
        peakUsers: Math.max(
          0,
          ...parsed.timeline.map((p) => p.users),
          parsed.total.requests > 0 ? Math.min(spec.users, 1) : 0,
        ),
        startedAt: startedAt.toISOString(),
        durationMs,
        ...parsed,
      };
      context.onEvent?.({ type: 'stage-end', stage: spec.name, result });
      return result;
    },
    generatorStats() {
      // CPU of the busiest Locust process, from /proc; Locust has no event loop to time
      const cpuPercent = wallSeconds > 0 ? (busiestCpuSeconds / wallSeconds) * 100 : 0;
      return { cpuPercent: Math.round(cpuPercent * 10) / 10, maxEventLoopLagMs: 0 };
    },
  };
}

/** Runs locust in its own process group; an abort stops it (TERM, then KILL after 5 s). */
function run(
  command: string[],
  args: string[],
  context: EngineContext,
): Promise<{ code: number | null; stderr: string; aborted: boolean; cpu: ProcessCpu }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0] as string, [...command.slice(1), ...args], {
      env: context.env as NodeJS.ProcessEnv,
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
    if (context.signal?.aborted) stop();
    else context.signal?.addEventListener('abort', stop, { once: true });
    child.once('error', (error) =>
      reject(new Error(`engine: cannot run ${command}: ${error.message}`)),
    );
    const cpu = child.pid ? watchProcessCpu(child.pid) : undefined;
    child.once('close', (code) => {
      context.signal?.removeEventListener('abort', stop);
      resolve({ code, stderr, aborted, cpu: cpu?.stop() ?? { cpuSeconds: 0, wallSeconds: 0 } });
    });
  });
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
