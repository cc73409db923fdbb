import { stopFactOf } from '../../shared/errors.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Client } from 'undici';
import type { StageReasonFact, StageResult } from '../../model/run-result.js';
import type { Engine, EngineContext, EngineEvent, StageSpec } from '../engine.js';
import { StageAggregator } from './aggregator.js';
import { Deadlines } from '../../transport/deadlines.js';
import { HttpConnection } from '../../transport/http-connection.js';
import { RawConnection } from '../../transport/raw-connection.js';
import { compileStep, type CompiledStep } from './prepared-request.js';
import { runSmoke, spawnUsers } from './closed-model.js';
import { runOpenModel } from './open-model.js';
import { Sleeper } from './sleeper.js';
import type { StageSchedule } from './stage-schedule.js';
import { StageTicker } from './stage-ticker.js';
import { StageUsers } from './stage-users.js';
import type { Connection, UserContext } from './virtual-user.js';

/** How long in-flight requests may finish after a ramp's duration before they are cancelled. */
export const GRACE_MS = 2000;

/** Sampling interval of the event-loop delay monitor (ms); its own period is not lag. */
const LAG_RESOLUTION_MS = 10;

export interface BuiltinEngineOptions {
  /** Milliseconds for stage timing (start, duration, spawn schedule); performance.now by default. */
  clock?: () => number;
}

/**
 * The built-in engine: virtual users on undici, HDR histograms, a per-second timeline. Users
 * measure, the aggregator computes, `onEvent` listeners (the progress printer) display.
 */
export function createBuiltinEngine(options: BuiltinEngineOptions = {}): Engine {
  const clock = options.clock ?? (() => performance.now());
  let cpuMicros = 0;
  let wallMs = 0;
  let maxLagMs = 0;

  return {
    name: 'builtin',
    async runStage(spec: StageSpec, context: EngineContext): Promise<StageResult> {
      const cpuStart = process.cpuUsage();
      const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
      lag.enable();
      const start = clock();
      try {
        return await runStage(spec, context, clock);
      } finally {
        lag.disable();
        const cpu = process.cpuUsage(cpuStart);
        cpuMicros += cpu.user + cpu.system;
        wallMs += clock() - start;
        // the monitor records whole timer periods: the lag is what exceeds the period
        const worst = lag.count > 0 ? lag.max / 1e6 - LAG_RESOLUTION_MS : 0;
        maxLagMs = Math.max(maxLagMs, Math.round(Math.max(worst, 0) * 10) / 10);
      }
    },
    generatorStats() {
      return {
        cpuPercent: wallMs > 0 ? Math.round((cpuMicros / 1000 / wallMs) * 1000) / 10 : 0,
        maxEventLoopLagMs: maxLagMs,
      };
    },
  };
}

async function runStage(
  spec: StageSpec,
  context: EngineContext,
  clock: () => number,
): Promise<StageResult> {
  const startedAt = new Date();
  const start = clock();
  const emit = (event: EngineEvent) => {
    try {
      context.onEvent?.(event);
    } catch {
      // a display problem must not stop the measurement
    }
  };

  const { scenario } = context;
  // One endpoint per distinct step name, setup steps first (Locust groups by name too).
  const names: { name: string; method: string }[] = [];
  const endpointOf = (name: string, method: string) => {
    const index = names.findIndex((n) => n.name === name);
    return index === -1 ? names.push({ name, method }) - 1 : index;
  };
  const origins: string[] = [];
  const originIndex = (origin: string) => {
    const index = origins.indexOf(origin);
    return index === -1 ? origins.push(origin) - 1 : index;
  };
  const compile =
    (list: 'setup' | 'tasks') =>
    (step: (typeof scenario.tasks)[number], index: number): CompiledStep =>
      compileStep(step, {
        target: context.target,
        endpoint: endpointOf(step.name, step.request.method),
        originIndex,
        baseDir: context.baseDir,
        at: `scenario.${list}[${index}]`,
      });
  const setup = scenario.setup.map(compile('setup'));
  const multipart = [...scenario.setup, ...scenario.tasks].some(
    (step) => step.request.body?.kind === 'multipart',
  );
  const tasks = scenario.tasks.map(compile('tasks'));
  let weightSum = 0;
  const cumulativeWeights = scenario.tasks.map((t) => (weightSum += t.weight));

  const aggregator = new StageAggregator(names);
  const stop = new AbortController();
  const sleeper = new Sleeper();
  const deadlines = new Deadlines();
  stop.signal.addEventListener('abort', () => sleeper.stop(), { once: true });
  // One connection per virtual user and origin, like autocannon: a shared pool would scan
  // thousands of clients to find a free one on every request.
  const clients = new Set<Client>();
  const raw = new Set<RawConnection>();
  const control = { cancelled: false };
  // plain HTTP goes over raw sockets, as autocannon does (undici's own bookkeeping is about a
  // fifth of its CPU per request); https and multipart bodies (streamed FormData) use undici
  const rawOk = !multipart;
  const connect = (origin: string): Connection => {
    const url = new URL(origin);
    if (rawOk && url.protocol === 'http:') {
      const connection = new RawConnection(
        url.hostname.replace(/^\[|\]$/g, ''),
        Number(url.port || 80),
        url.host,
        control,
        deadlines,
      );
      raw.add(connection);
      return connection;
    }
    const client = new Client(origin, { pipelining: 1, keepAliveTimeout: 10_000 });
    clients.add(client);
    return new HttpConnection(client, control, deadlines);
  };
  const destroyClients = () => {
    for (const connection of raw) connection.destroy();
    return Promise.all([...clients].map((c) => c.destroy().catch(() => {})));
  };
  // Cancelling destroys the connections: every in-flight request ends at once (and is not
  // counted), and no request needs an abort listener of its own.
  const cancelAll = () => {
    if (control.cancelled) return;
    control.cancelled = true;
    void destroyClients();
  };
  const users: UserContext = {
    setup,
    tasks,
    cumulativeWeights,
    think: scenario.think,
    env: context.env,
    origins,
    connect,
    aggregator,
    stop: stop.signal,
    sleeper,
  };

  let aborted = false;
  let abortedReason: string | undefined;
  let abortedFact: StageReasonFact | undefined;
  // why, as facts (the report words them), or as the text of whoever stopped the run
  const abortStage = (reason: string | StageReasonFact) => {
    if (aborted) return;
    aborted = true;
    if (typeof reason === 'string') abortedReason = reason;
    else abortedFact = reason;
    stop.abort();
    cancelAll();
  };
  const onAbort = () => {
    const stop = stopFactOf(context.signal?.reason);
    abortStage(stop ? { kind: 'stopped', stop } : reasonOf(context.signal?.reason));
  };
  if (context.signal?.aborted) onAbort();
  else context.signal?.addEventListener('abort', onAbort, { once: true });

  const stageUsers = new StageUsers(users, context.data);
  const schedule: StageSchedule = { start, clock, stop: stop.signal };
  emit({ type: 'stage-start', stage: spec.name, users: spec.users });
  const ticker = new StageTicker({
    spec,
    context,
    aggregator,
    users: stageUsers,
    schedule,
    emit,
    abortStage,
  });

  let dropped = 0;
  try {
    if (spec.name === 'smoke') {
      await runSmoke(spec, stageUsers);
    } else {
      // the duration includes the spawn phase, as Locust's --run-time does
      const deadline = setTimeout(
        () => stop.abort(),
        Math.max(0, start + spec.durationMs - clock()),
      );
      if (spec.rate !== undefined) {
        dropped = await runOpenModel(spec.rate, spec.users, stageUsers, aggregator, schedule);
      } else {
        await spawnUsers(spec, stageUsers, aggregator, schedule);
      }
      await new Promise<void>((resolve) => {
        if (stop.signal.aborted) resolve();
        else stop.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      clearTimeout(deadline);
      // in-flight requests may finish for a while, then are cut (and not counted)
      const grace = setTimeout(cancelAll, GRACE_MS);
      await Promise.all(stageUsers.running);
      clearTimeout(grace);
    }
  } finally {
    ticker.stop();
    context.signal?.removeEventListener('abort', onAbort);
    deadlines.close();
    await destroyClients();
  }

  const durationMs = Math.round(clock() - start);
  ticker.finish(durationMs);
  const { endpoints, total, hold } = aggregator.result(durationMs);
  const result: StageResult = {
    name: spec.name,
    status: aborted ? 'aborted' : 'completed',
    ...(abortedReason !== undefined ? { reason: abortedReason } : {}),
    ...(abortedFact ? { reasonFact: abortedFact } : {}),
    users: spec.users,
    peakUsers: stageUsers.peak,
    startedAt: startedAt.toISOString(),
    durationMs,
    endpoints,
    total,
    timeline: aggregator.timeline,
    ...(hold ? { hold } : {}),
    ...(spec.name === 'ramp' && spec.rate !== undefined
      ? { model: 'open' as const, targetRate: spec.rate, droppedIterations: dropped }
      : {}),
    ...(stageUsers.dataExhausted ? { dataExhausted: true as const } : {}),
  };
  emit({ type: 'stage-end', stage: spec.name, result });
  return result;
}

function reasonOf(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'the run was stopped' : String(reason);
}
