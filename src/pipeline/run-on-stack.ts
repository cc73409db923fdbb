import path from 'node:path';
import type { Config } from '../config/schema.js';
import type { Engine, EngineEvent } from '../engine/engine.js';
import { runStages } from '../engine/run-stages.js';
import { errorMessage, stopFactOf } from '../shared/errors.js';
import { abortWatcher } from '../gate/abort-on-fail.js';
import type { Logger } from '../shared/logger.js';
import type { RunResult, StopFact } from '../model/run-result.js';
import type { RunErrorFact } from '../model/json-report.js';
import type {
  ComposeEvidence,
  ComposeProblemFact,
  StackErrorFact,
  StackEvidence,
} from '../model/stack-evidence.js';
import {
  composeProblemText,
  stackErrorText,
  stackHeadline,
  stopError,
  stopText,
} from '../report/run-error-messages.js';
import { describeMismatch } from '../diagnose/rules/openapi.js';
import { planProbes } from '../diagnose/probe-plan.js';
import { runProbes } from './run-probes.js';
import { checkAgainstOpenApi } from '../openapi/check-target.js';
import { word } from '../report/finding-words/words.js';
import { composeProject } from '../stack/compose-project.js';
import { ContainerWatch, removeProjectLeftovers } from '../stack/container-watch.js';
import { dockerCli, dockerProblem, dockerUnusable } from '../stack/docker-cli.js';
import { logSize, readLogTail } from '../stack/log-tail.js';
import { livePidsInGroup } from '../stack/process-group.js';
import { portInUse } from '../stack/port-check.js';
import { defaultProbe } from '../stack/readiness.js';
import { startResourceSampler } from '../stack/resource-sampler.js';
import {
  collectedLogPath,
  startStack,
  stopStack,
  waitUntilReady,
  type RunningStack,
  type StackRuntime,
  teardownLogPath,
} from '../stack/stack-process.js';

export interface StackRunOptions {
  config: Config;
  /** Folder the stack command and scenario files resolve from. */
  baseDir: string;
  logPath: string;
  env: Record<string, string | undefined>;
  logger: Logger;
  createEngine: (config: Config, baseDir: string) => Engine;
  onEngineEvent?: (event: EngineEvent) => void;
  /** The stack runs: its process group (and compose project) to stop if the job is cancelled. */
  onStackStarted?: (stack: RunningStack, composeProject?: string) => void;
  data?: { rows: Record<string, string>[]; whenExhausted: 'cycle' | 'stop' };
  runtime?: StackRuntime;
  /** SIGTERM, max-duration: stops the boot wait or the load. */
  signal: AbortSignal;
  /** Prefix of the log groups ("Baseline: "). */
  label?: string;
  /**
   * Check the scenario against the API's OpenAPI document before the load (default): off for
   * the merge-base baseline, whose findings would repeat the PR run's and are not reported.
   */
  checkOpenApi?: boolean;
  /** Probe the smoke stage's refusals (default, with `diagnose.probes`): off for the baseline. */
  probes?: boolean;
}

export interface StackRunOutcome {
  result?: RunResult;
  stack?: StackEvidence;
  /** Why the run ended early (English, as logged), and the same as facts when known. */
  error?: string;
  errorFact?: RunErrorFact;
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
  let watch: ContainerWatch | undefined;
  let compose: ComposeEvidence | undefined;
  const outcome: StackRunOutcome = {};
  /** The stop a crashed container caused: the stage's reason and the run's error hold it. */
  let crashStop: Extract<StopFact, { kind: 'service-crashed' }> | undefined;
  // The load stops at once when the run is stopped, the stack dies or a container exits.
  const abort = new AbortController();
  const stackEnv = { ...options.env, ...stackConfig?.env };
  const docker = dockerCli(stackEnv);

  try {
    if (stackConfig) {
      const target = new URL(config.target);
      const targetPort = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
      if (await portInUse(target.hostname.replace(/^\[|\]$/g, ''), targetPort)) {
        const fact: StackErrorFact = { kind: 'port-in-use', port: targetPort };
        evidence = {
          command: stackConfig.start,
          started: false,
          ready: false,
          portInUse: targetPort,
          ...stackError(fact),
          logTail: [],
        };
        return { stack: evidence, ...stackFailed(fact), exitCode: 2 };
      }
      const project = composeProject({
        start: stackConfig.start,
        explicit: stackConfig.composeProject,
        cwd: path.resolve(options.baseDir, stackConfig.cwd ?? '.'),
        env: stackEnv,
      });
      if (project) {
        compose = { project: project.name, source: project.source };
        // docker missing or its daemon down: say so before anything starts
        const info = await docker.run(['info', '--format', '{{.ServerVersion}}'], 20_000);
        if (info.code !== 0) {
          const problem = dockerProblem(info);
          Object.assign(compose, composeProblem(problem));
          const fact: StackErrorFact = {
            kind: 'docker-unavailable',
            project: project.name,
            problem,
          };
          evidence = {
            command: stackConfig.start,
            started: false,
            ready: false,
            compose,
            ...stackError(fact),
            logTail: [],
          };
          return { stack: evidence, ...stackFailed(fact), exitCode: 2 };
        }
      }
      const ready = await logger.group(`${label}Stack`, async () => {
        logger.info(`starting: ${stackConfig.start}`);
        stack = await startStack(stackConfig, {
          baseDir: options.baseDir,
          logPath: options.logPath,
          ...options.runtime,
        });
        options.onStackStarted?.(stack, project?.name);
        sampler = startResourceSampler(stack.pgid);
        if (project) {
          logger.info(`docker compose project ${project.name} (from ${project.source})`);
          watch = new ContainerWatch({
            project: project.name,
            docker,
            env: stackEnv,
            startedAt: stack.startedAt,
          });
        }
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
          outcome.ready
            ? `ready after ${outcome.afterMs} ms`
            : `not ready: ${stackErrorText(outcome.fact, 'en')}`,
        );
        if (outcome.ready && watch) {
          const problem = await watch.attach((crash) => {
            crashStop = {
              kind: 'service-crashed',
              service: crash.service,
              crash: crash.kind,
              ...(crash.exitCode !== undefined ? { exitCode: crash.exitCode } : {}),
            };
            abort.abort(stopError(crashStop));
          });
          if (problem && compose) {
            Object.assign(compose, composeProblem(problem));
            logger.warning(`containers not watched: ${compose.problem}`);
          }
        }
        return outcome;
      });
      const running = stack as RunningStack | undefined;
      evidence = {
        command: stackConfig.start,
        started: true,
        ready: ready.ready,
        ...(ready.ready ? { readyAfterMs: ready.afterMs } : stackError(ready.fact)),
        ...(running?.exit?.code === 0 ? { detached: true } : {}),
        logPath: options.logPath,
        ...(compose ? { compose } : {}),
        logTail: [],
      };
      outcome.stack = evidence;
      if (!ready.ready) {
        return signal.aborted
          ? { ...outcome, ...stoppedBy(signal.reason), exitCode: 1 }
          : { ...outcome, ...stackFailed(ready.fact), exitCode: 2 };
      }
    }
    // the scenario against the API's OpenAPI document: its mistakes are named before any request
    const openapi =
      options.checkOpenApi === false
        ? undefined
        : await checkAgainstOpenApi(config, {
            baseDir: options.baseDir,
            logger,
            signal,
            describe: (mismatch) => {
              const { title, fix } = describeMismatch(mismatch);
              return `${word(title, config.locale)}. ${word(fix, config.locale)}`;
            },
          });
    if (signal.aborted) return { ...outcome, ...stoppedBy(signal.reason), exitCode: 1 };

    const onStop = () => abort.abort(signal.reason ?? new Error('the run was stopped'));
    signal.addEventListener('abort', onStop, { once: true });
    const running = stack as RunningStack | undefined;
    void running?.exited.then((exit) => {
      if (running.stopping || evidence?.detached) return;
      // a start command that returns 0 and leaves the stack running is a detached start
      const detached =
        exit.code === 0 &&
        ((watch !== undefined && !compose?.problem) || livePidsInGroup(running.pgid).length > 0);
      if (detached) {
        running.exit = undefined;
        if (evidence) evidence.detached = true;
        logger.info('the start command returned; the stack runs in the background');
        return;
      }
      abort.abort(stopError({ kind: 'stack-exited', code: exit.code, signal: exit.signal }));
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
    if (abort.signal.aborted) Object.assign(outcome, stoppedBy(abort.signal.reason));
    if (outcome.result && openapi) outcome.result.openapi = openapi;
    // the smoke stage's refusals, re-sent once as a hypothesis says, while the stack still runs
    if (
      outcome.result &&
      options.probes !== false &&
      config.diagnose.probes &&
      !abort.signal.aborted
    ) {
      const plans = planProbes({ config, result: outcome.result });
      if (plans.length > 0) {
        outcome.result.probes = await logger.group(`${label}Probes`, () =>
          runProbes(
            plans,
            {
              target: config.target,
              env: options.env,
              data: options.data,
              baseDir: options.baseDir,
              signal: abort.signal,
            },
            logger,
          ),
        );
      }
    }
    return outcome;
  } finally {
    if (stack && stackConfig) {
      const started: RunningStack = stack;
      // what the run wrote ends here: teardown output is never read as evidence
      const loadEndedAt = Date.now();
      const logEnd = logSize(started.logPath);
      watch?.markStopping();
      const services = watch ? await watch.collect(started.logPath, loadEndedAt) : undefined;
      // docker may tell the kernel's OOM kill only after the container died: the stop says it too
      if (crashStop && watch?.crash && crashStop.crash !== watch.crash.kind) {
        crashStop.crash = watch.crash.kind;
        if (outcome.errorFact?.kind === 'stopped' && outcome.errorFact.stop === crashStop)
          outcome.error = stopText(crashStop, 'en');
      }
      await logger.group(`${label}Teardown`, async () => {
        await stopStack(started, stackConfig, {
          baseDir: options.baseDir,
          ...options.runtime,
        }).catch((e: unknown) => logger.warning(`teardown: ${errorMessage(e)}`));
        if (compose && !dockerUnusable(compose.problemFact)) {
          const leftovers = await removeProjectLeftovers(docker.run, compose.project);
          if (leftovers.length > 0) {
            compose.leftovers = leftovers;
            logger.info(`removed what stack.stop left: ${leftovers.join(', ')}`);
          }
        }
        logger.info('stack stopped');
      });
      watch?.close();
      const resources = sampler?.stop();
      if (evidence) {
        evidence.logTail = stackConfig.logs
          ? readLogTail(collectedLogPath(started), 41)
              .filter((line) => !line.startsWith('[loadgate] $ '))
              .slice(-40)
          : readLogTail(started.logPath, 40, logEnd);
        const teardown = readLogTail(teardownLogPath(started), 20);
        if (teardown.length > 0) evidence.teardownTail = teardown;
        // with compose services, the process group is only the compose CLI: their figures count
        if (services && services.length > 0) evidence.services = services;
        else if (resources?.length) evidence.resources = resources;
        if (watch?.crash) evidence.containerCrash = watch.crash;
        if (started.exit && !evidence.detached) evidence.exit = started.exit;
      }
    }
  }
}

/** The stack's error as evidence: the fact, and its English for logs and machines. */
function stackError(fact: StackErrorFact): Pick<StackEvidence, 'error' | 'errorFact'> {
  return { error: stackErrorText(fact, 'en'), errorFact: fact };
}

/** A compose problem as evidence: the fact, and its English for logs. */
function composeProblem(
  problem: ComposeProblemFact,
): Pick<ComposeEvidence, 'problem' | 'problemFact'> {
  return { problem: composeProblemText(problem, 'en'), problemFact: problem };
}

/** The run's error for a stack that never became usable: its headline, and its facts. */
function stackFailed(fact: StackErrorFact): Pick<StackRunOutcome, 'error' | 'errorFact'> {
  return { error: stackHeadline(fact, 'en'), errorFact: { kind: 'stack', fact } };
}

/** The run's error for a stop: its message, and its facts when the stop gave them. */
function stoppedBy(reason: unknown): Pick<StackRunOutcome, 'error' | 'errorFact'> {
  const stop = stopFactOf(reason);
  return { error: errorMessage(reason), ...(stop ? { errorFact: { kind: 'stopped', stop } } : {}) };
}
