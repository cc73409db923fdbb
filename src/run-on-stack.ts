import type { Config } from './config/schema.js';
import type { Engine, EngineEvent } from './engine/engine.js';
import { runStages } from './engine/run-stages.js';
import { errorMessage } from './errors.js';
import { abortWatcher } from './gate/abort-on-fail.js';
import type { Logger } from './logger.js';
import type { RunResult } from './model/run-result.js';
import type { StackEvidence } from './model/stack-evidence.js';
import { dockerStats, usesDocker } from './stack/docker-stats.js';
import { readLogTail } from './stack/log-tail.js';
import { portInUse } from './stack/port-check.js';
import { defaultProbe } from './stack/readiness.js';
import { startResourceSampler } from './stack/resource-sampler.js';
import {
  describeExit,
  startStack,
  stopStack,
  waitUntilReady,
  type RunningStack,
  type StackRuntime,
} from './stack/stack-process.js';

export interface StackRunOptions {
  config: Config;
  /** Folder the stack command and scenario files resolve from. */
  baseDir: string;
  logPath: string;
  env: Record<string, string | undefined>;
  logger: Logger;
  createEngine: (config: Config, baseDir: string) => Engine;
  onEngineEvent?: (event: EngineEvent) => void;
  onStackStarted?: (stack: RunningStack) => void;
  data?: { rows: Record<string, string>[]; whenExhausted: 'cycle' | 'stop' };
  runtime?: StackRuntime;
  /** SIGTERM, max-duration: stops the boot wait or the load. */
  signal: AbortSignal;
  /** Prefix of the log groups ("Baseline: "). */
  label?: string;
}

export interface StackRunOutcome {
  result?: RunResult;
  stack?: StackEvidence;
  /** Why the run ended early. */
  error?: string;
  /** 2: the stack was never usable (port taken, not ready); 1: stopped. */
  exitCode?: 1 | 2;
}

/**
 * Boots the stack (when there is one), runs smoke then ramp against it, and tears it down
 * whatever happens, returning the results and the stack's evidence. Used for the PR's run and
 * for a same-runner baseline.
 */
export async function runOnStack(options: StackRunOptions): Promise<StackRunOutcome> {
  const { config, logger, signal } = options;
  const label = options.label ?? '';
  const stackConfig = config.stack;
  let stack: RunningStack | undefined;
  let sampler: ReturnType<typeof startResourceSampler> | undefined;
  let evidence: StackEvidence | undefined;
  const outcome: StackRunOutcome = {};

  try {
    if (stackConfig) {
      const target = new URL(config.target);
      const targetPort = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
      if (await portInUse(target.hostname.replace(/^\[|\]$/g, ''), targetPort)) {
        evidence = {
          command: stackConfig.start,
          started: false,
          ready: false,
          portInUse: targetPort,
          error: `port ${targetPort} of the target is already in use before the stack started: a server from an earlier step would be load-tested instead of this stack`,
          logTail: [],
        };
        return { stack: evidence, error: `stack not started: ${evidence.error}`, exitCode: 2 };
      }
      const ready = await logger.group(`${label}Stack`, async () => {
        logger.info(`starting: ${stackConfig.start}`);
        stack = await startStack(stackConfig, {
          baseDir: options.baseDir,
          logPath: options.logPath,
          ...options.runtime,
        });
        options.onStackStarted?.(stack);
        sampler = startResourceSampler(stack.pgid);
        const check = {
          probe:
            stackConfig.ready ?? (stackConfig.readyLog ? undefined : defaultProbe(config.target)),
          logPattern: stackConfig.readyLog,
        };
        const outcome = await waitUntilReady(stack, check, stackConfig.readyTimeoutMs, {
          ...options.runtime,
          signal,
        });
        logger.info(
          outcome.ready ? `ready after ${outcome.afterMs} ms` : `not ready: ${outcome.reason}`,
        );
        return outcome;
      });
      evidence = {
        command: stackConfig.start,
        started: true,
        ready: ready.ready,
        ...(ready.ready ? { readyAfterMs: ready.afterMs } : { error: ready.reason }),
        logPath: options.logPath,
        logTail: [],
      };
      outcome.stack = evidence;
      if (!ready.ready) {
        return signal.aborted
          ? { ...outcome, error: errorMessage(signal.reason), exitCode: 1 }
          : { ...outcome, error: `stack not ready: ${ready.reason}`, exitCode: 2 };
      }
    }
    if (signal.aborted) return { ...outcome, error: errorMessage(signal.reason), exitCode: 1 };

    // The load stops at once when the run is stopped or the stack dies.
    const abort = new AbortController();
    const onStop = () => abort.abort(signal.reason ?? new Error('the run was stopped'));
    signal.addEventListener('abort', onStop, { once: true });
    const running = stack as RunningStack | undefined;
    void running?.exited.then((exit) => {
      if (!running.stopping)
        abort.abort(new Error(`the stack exited (${describeExit(exit)}) during the run`));
    });
    try {
      outcome.result = await logger.group(`${label}Load test`, () =>
        runStages(options.createEngine(config, options.baseDir), config.stages, {
          target: config.target,
          scenario: config.scenario,
          env: options.env,
          signal: abort.signal,
          onEvent: options.onEngineEvent,
          data: options.data,
          baseDir: options.baseDir,
          watch: abortWatcher(config.thresholds),
        }),
      );
    } finally {
      signal.removeEventListener('abort', onStop);
    }
    if (abort.signal.aborted) outcome.error = errorMessage(abort.signal.reason);
    return outcome;
  } finally {
    if (stack && stackConfig) {
      const started: RunningStack = stack;
      // Container figures are read while the containers still run, before teardown.
      const containers = usesDocker(stackConfig.start) ? await dockerStats() : [];
      await logger.group(`${label}Teardown`, async () => {
        await stopStack(started, stackConfig, {
          baseDir: options.baseDir,
          ...options.runtime,
        }).catch((e: unknown) => logger.warning(`teardown: ${errorMessage(e)}`));
        logger.info('stack stopped');
      });
      const resources = sampler?.stop();
      if (evidence) {
        evidence.logTail = readLogTail(started.logPath);
        if (resources?.length) evidence.resources = resources;
        if (containers.length > 0) evidence.containers = containers;
        if (started.exit) evidence.exit = started.exit;
      }
    }
  }
}
