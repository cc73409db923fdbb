import path from 'node:path';
import type { Config, Step } from './schema.js';

/** What each engine is built with: the only translation of the config into engine options. */
export type EngineOptions = { engine: 'builtin' } | { engine: 'locust'; locust: LocustOptions };

/** The Locust engine's options. */
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
  /** Distributed: how long the master waits for `expectWorkers` (default 60 s; 300 s with remote workers). */
  workersWaitSeconds?: number;
}

/** A key of loadgate.yml (kebab-case path) that the chosen engine cannot honour, and why. */
export interface EngineIssue {
  path: (string | number)[];
  message: string;
}

/**
 * A scenario given in the config always has a task; the neutral one of a config without
 * `scenario:` (`engine: locust` with a `locustfile`) has none.
 */
export const hasScenario = (config: Pick<Config, 'scenario'>) => config.scenario.tasks.length > 0;

/**
 * The options the config's engine is built with, and every key it could not honour: a key is
 * either passed on here or refused by name, never dropped. Pure; `baseDir` resolves the
 * locustfile.
 */
export function resolveEngine(
  config: Config,
  baseDir: string,
): { options: EngineOptions; issues: EngineIssue[] } {
  const issues: EngineIssue[] = [];
  const refuse = (at: (string | number)[], message: string) => issues.push({ path: at, message });

  if (config.engine === 'builtin') {
    if (config.locustfile !== undefined)
      refuse(
        ['locustfile'],
        'expected no locustfile with the built-in engine (or `engine: locust`)',
      );
    if (config.locust !== undefined)
      refuse(
        ['locust'],
        'expected no `locust:` settings with the built-in engine (or `engine: locust`)',
      );
    if (!hasScenario(config))
      refuse(
        ['scenario'],
        'expected a scenario with tasks (or `engine: locust` with a `locustfile`)',
      );
    return { options: { engine: 'builtin' }, issues };
  }

  // engine: locust
  if (config.locustfile === undefined && !hasScenario(config))
    refuse(['scenario'], 'expected a scenario with tasks, or a `locustfile` to run instead');
  if (config.locustfile !== undefined && hasScenario(config))
    refuse(
      ['scenario'],
      'expected no scenario with `locustfile`: Locust runs the locustfile, so the scenario would be ignored (remove one of them)',
    );
  if (config.stages.ramp.rate !== undefined)
    refuse(
      ['stages', 'ramp', 'rate'],
      'expected no arrival rate with `engine: locust` (Locust runs closed-model users: use `users` and `spawn-rate`, or the built-in engine)',
    );
  if (config.stages.ramp.maxFailures !== undefined)
    refuse(
      ['stages', 'ramp', 'max-failures'],
      'expected no max-failures with `engine: locust` (the built-in engine supports it)',
    );
  if (config.thresholds.abortOnFail !== undefined)
    refuse(
      ['thresholds', 'abort-on-fail'],
      'expected false with `engine: locust` (the built-in engine supports it)',
    );
  if (config.thresholds.excludeRampUp)
    refuse(
      ['thresholds', 'exclude-ramp-up'],
      'expected false with `engine: locust` (the built-in engine supports it)',
    );
  if (config.locustfile === undefined) {
    // the generated locustfile: what generate-locustfile.ts does not translate
    if (config.scenario.data !== undefined)
      refuse(
        ['scenario', 'data'],
        'expected no data file with `engine: locust` (the built-in engine supports it; with Locust, read it in your own locustfile)',
      );
    const steps: [string, Step[]][] = [
      ['setup', config.scenario.setup],
      ['tasks', config.scenario.tasks],
    ];
    for (const [list, items] of steps) {
      items.forEach((step, i) => {
        if (step.request.body?.kind === 'multipart')
          refuse(
            ['scenario', list, i, 'request', 'multipart'],
            'expected no multipart body with `engine: locust` (the built-in engine supports it)',
          );
        if (step.check.json !== undefined)
          refuse(
            ['scenario', list, i, 'check', 'json'],
            'expected no JSON check with `engine: locust` (the built-in engine supports it)',
          );
      });
    }
  }
  const workers = config.locust?.workers ?? 0;
  const expectWorkers = config.locust?.expectWorkers;
  const masterBind = config.locust?.masterBind;
  if (expectWorkers !== undefined && expectWorkers < workers)
    refuse(
      ['locust', 'expect-workers'],
      `expected at least \`locust.workers\` (${workers}): the master waits for every worker, local and remote`,
    );
  if (expectWorkers !== undefined && expectWorkers > workers && masterBind === undefined)
    refuse(
      ['locust', 'expect-workers'],
      `expected \`locust.master-bind\` too (e.g. "0.0.0.0:5557"): ${expectWorkers - workers} remote workers need an address and a port to join (without it the master listens on 127.0.0.1, on a port chosen at random)`,
    );
  if (masterBind !== undefined && workers === 0 && expectWorkers === undefined)
    refuse(
      ['locust', 'master-bind'],
      'expected with `locust.workers` or `locust.expect-workers` (without workers Locust runs in one process and binds nothing)',
    );
  return {
    options: {
      engine: 'locust',
      locust: {
        ...(config.locustfile !== undefined
          ? { locustfile: path.resolve(baseDir, config.locustfile) }
          : {}),
        ...(workers > 0 ? { workers } : {}),
        ...(expectWorkers !== undefined ? { expectWorkers } : {}),
        ...(masterBind !== undefined ? { masterBind } : {}),
      },
    },
    issues,
  };
}
