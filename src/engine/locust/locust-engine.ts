import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StageResult } from '../../model/run-result.js';
import type { Engine, EngineContext, StageSpec } from '../engine.js';
import { generateLocustfile } from './generate-locustfile.js';
import { stageFromLocustCsv } from './locust-csv.js';

export interface LocustOptions {
  /** A user's locustfile (absolute); else one is generated from the scenario. */
  locustfile?: string;
  /** The locust command; default: Debian's /usr/bin/locust when present, else `locust` on PATH. */
  command?: string;
}

/** Where locust is, or an error that says how to install it. */
export function findLocust(
  command?: string,
  searchPath = process.env.PATH ?? '',
  debian = '/usr/bin/locust',
): string {
  if (command) return command;
  if (existsSync(debian)) return debian;
  for (const dir of searchPath.split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'locust'))) return path.join(dir, 'locust');
  }
  throw new Error(
    'engine: locust: Locust is not installed: `pip install locust` (or `apt-get install python3-locust`)',
  );
}

/**
 * The Locust engine: runs a locustfile headless for each stage (smoke: its users for about one
 * second per iteration; ramp: users, spawn rate, duration) and reads its --csv output into the
 * same StageResult as the built-in engine.
 */
export function createLocustEngine(options: LocustOptions = {}): Engine {
  const locust = findLocust(options.command);
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
      const { code, stderr, aborted } = await run(locust, args, context);
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
        { stats, failures: read('failures'), history: read('stats_history') },
        context.target,
        durationMs,
      );
      const result: StageResult = {
        name: spec.name,
        status: aborted ? 'aborted' : 'completed',
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
      // Locust's own CPU is not measured yet: nothing is claimed about it.
      return { cpuPercent: 0, maxEventLoopLagMs: 0 };
    },
  };
}

/** Runs locust in its own process group; an abort stops it (TERM, then KILL after 5 s). */
function run(
  command: string,
  args: string[],
  context: EngineContext,
): Promise<{ code: number | null; stderr: string; aborted: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
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
    child.once('close', (code) => {
      context.signal?.removeEventListener('abort', stop);
      resolve({ code, stderr, aborted });
    });
  });
}
