import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Client } from 'undici';
import type { StageResult } from '../../model/run-result.js';
import type { Engine, EngineContext, StageSpec } from '../engine.js';
import { StageAggregator } from './aggregator.js';
import { compileStep, type CompiledStep } from './prepared-request.js';
import { Deadlines } from './deadlines.js';
import { Sleeper } from './sleeper.js';
import { pause, runVirtualUser, VirtualUser, type UserContext } from './virtual-user.js';

/** How long in-flight requests may finish after a ramp's duration before they are cancelled. */
const GRACE_MS = 2000;

/**
 * The built-in engine: virtual users on undici, HDR histograms, a per-second timeline. Users
 * measure, the aggregator computes, `onEvent` listeners (the progress printer) display.
 */
export function createBuiltinEngine(options: { now?: () => number } = {}): Engine {
  const now = options.now ?? (() => performance.now());
  let cpuMicros = 0;
  let wallMs = 0;
  let maxLagMs = 0;

  return {
    name: 'builtin',
    async runStage(spec: StageSpec, context: EngineContext): Promise<StageResult> {
      const cpuStart = process.cpuUsage();
      const lag = monitorEventLoopDelay({ resolution: 10 });
      lag.enable();
      const startedAt = new Date();
      const start = now();
      try {
        return await runStage(spec, context, start, startedAt, now);
      } finally {
        lag.disable();
        const cpu = process.cpuUsage(cpuStart);
        cpuMicros += cpu.user + cpu.system;
        wallMs += now() - start;
        maxLagMs = Math.max(maxLagMs, Math.round((lag.max / 1e6) * 10) / 10);
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
  start: number,
  startedAt: Date,
  now: () => number,
): Promise<StageResult> {
  const { scenario } = context;
  // One endpoint per distinct step name, setup steps first (Locust groups by name too).
  const names: { name: string; method: string }[] = [];
  const indexOf = (name: string, method: string) => {
    let index = names.findIndex((n) => n.name === name);
    if (index === -1) index = names.push({ name, method }) - 1;
    return index;
  };
  const compile = (step: (typeof scenario.tasks)[number]): CompiledStep =>
    compileStep(step, context.target, indexOf(step.name, step.request.method), context.baseDir);
  const setup = scenario.setup.map(compile);
  const tasks = scenario.tasks.map(compile);
  const cumulativeWeights = scenario.tasks.reduce<number[]>(
    (acc, t) => [...acc, (acc[acc.length - 1] ?? 0) + t.weight],
    [],
  );

  const aggregator = new StageAggregator(names);
  const stop = new AbortController();
  const sleeper = new Sleeper();
  const deadlines = new Deadlines();
  stop.signal.addEventListener('abort', () => sleeper.stop(), { once: true });
  // One connection per virtual user and origin, like autocannon: a shared pool would scan
  // thousands of clients to find a free one on every request.
  const clients = new Set<Client>();
  const connect = (origin: string) => {
    const client = new Client(origin, { pipelining: 1, keepAliveTimeout: 10_000 });
    clients.add(client);
    return client;
  };
  const destroyClients = () => Promise.all([...clients].map((c) => c.destroy().catch(() => {})));
  // Cancelling destroys the connections: every in-flight request ends at once, and no request
  // needs an abort listener of its own.
  let cancelled = false;
  const cancelAll = () => {
    if (cancelled) return;
    cancelled = true;
    void destroyClients();
  };
  const users: UserContext = {
    setup,
    tasks,
    cumulativeWeights,
    think: scenario.think,
    env: context.env,
    connect,
    aggregator,
    stop: stop.signal,
    sleeper,
    cancelled: () => cancelled,
    deadlines,
  };

  let abortedReason: string | undefined;
  const onAbort = () => {
    abortedReason = reasonOf(context.signal?.reason);
    stop.abort();
    cancelAll();
  };
  if (context.signal?.aborted) onAbort();
  else context.signal?.addEventListener('abort', onAbort, { once: true });

  let active = 0;
  let peak = 0;
  let second = 0;
  context.onEvent?.({ type: 'stage-start', stage: spec.name, users: spec.users });
  const ticker = setInterval(() => {
    second++;
    const point = aggregator.tick(second, active);
    context.onEvent?.({
      type: 'tick',
      stage: spec.name,
      second,
      users: active,
      requests: point.rps,
      failures: point.failuresPerSecond,
      p95: point.p95,
    });
    if (spec.name === 'ramp' && abortedReason === undefined && !stop.signal.aborted) {
      const { failures } = aggregator.totals;
      const reason =
        spec.maxFailures !== undefined && failures >= spec.maxFailures
          ? `stopped after ${failures} failures (stages.ramp.max-failures: ${spec.maxFailures})`
          : context.watch?.(aggregator.snapshot(now() - start));
      if (reason !== undefined) {
        abortedReason = reason;
        stop.abort();
        cancelAll();
      }
    }
  }, 1000);

  // scenario.data: each new user takes the next row; `stop` means no more users once they run out
  let nextRow = 0;
  let dataExhausted = false;
  const takeRow = (): Record<string, string> | undefined | false => {
    const data = context.data;
    if (!data) return undefined;
    if (nextRow >= data.rows.length && data.whenExhausted === 'stop') {
      dataExhausted = true;
      return false;
    }
    return data.rows[nextRow++ % data.rows.length];
  };

  const running: Promise<void>[] = [];
  const launch = (iterations?: number): boolean => {
    const row = takeRow();
    if (row === false) return false;
    active++;
    peak = Math.max(peak, active);
    running.push(runVirtualUser(users, iterations, row).finally(() => active--));
    return true;
  };

  /**
   * Open model (k6's constant-arrival-rate): an iteration is due every 1/rate s whatever the
   * latency; it runs on an idle user (at most `maxUsers` exist), else it is dropped and counted.
   */
  const openModel = async (rate: number, maxUsers: number): Promise<number> => {
    const idle: VirtualUser[] = [];
    const inflight = new Set<Promise<void>>();
    let created = 0;
    let missed = 0;
    const interval = 1000 / rate;
    aggregator.startHold(0); // no ramp-up in an open model
    for (let k = 0; !stop.signal.aborted; k++) {
      const due = start + k * interval;
      const wait = due - now();
      if (wait > 0) await pause(wait, stop.signal);
      else if (k % 16 === 0) await new Promise((resolve) => setImmediate(resolve)); // behind: let responses in
      if (stop.signal.aborted) break;
      let user = idle.pop();
      if (!user && created < maxUsers) {
        const row = takeRow();
        if (row !== false) {
          user = new VirtualUser(users, row);
          created++;
          peak = Math.max(peak, created);
        }
      }
      if (!user) {
        missed++;
        continue;
      }
      const current = user;
      active++;
      const iteration = (async () => {
        if (await current.setup()) await current.iteration(due);
      })().finally(() => {
        active--;
        idle.push(current);
        inflight.delete(iteration);
      });
      inflight.add(iteration);
    }
    running.push(...inflight);
    return missed;
  };

  let dropped = 0;
  try {
    if (spec.name === 'smoke') {
      for (let i = 0; i < spec.users; i++) launch(spec.iterations);
      await Promise.all(running);
    } else {
      const deadline = setTimeout(() => stop.abort(), spec.durationMs);
      if (spec.rate !== undefined) {
        dropped = await openModel(spec.rate, spec.users);
      } else {
        const interval = 1000 / spec.spawnRate;
        for (let i = 0; i < spec.users && !stop.signal.aborted; i++) {
          if (!launch()) break;
          const next = start + (i + 1) * interval - now();
          if (i + 1 < spec.users && next > 0) await pause(next, stop.signal);
        }
        if (!stop.signal.aborted) aggregator.startHold(now() - start);
      }
      await new Promise<void>((resolve) => {
        if (stop.signal.aborted) resolve();
        else stop.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      clearTimeout(deadline);
      const grace = setTimeout(cancelAll, GRACE_MS);
      await Promise.all(running);
      clearTimeout(grace);
    }
  } finally {
    clearInterval(ticker);
    context.signal?.removeEventListener('abort', onAbort);
    deadlines.close();
    await destroyClients();
  }

  const durationMs = Math.round(now() - start);
  const elapsedSeconds = durationMs / 1000;
  if (elapsedSeconds > second) aggregator.tick(Math.ceil(elapsedSeconds), active);
  const { endpoints, total, hold } = aggregator.result(durationMs);
  const result: StageResult = {
    name: spec.name,
    status: abortedReason !== undefined ? 'aborted' : 'completed',
    ...(abortedReason !== undefined ? { reason: abortedReason } : {}),
    users: spec.users,
    peakUsers: peak,
    startedAt: startedAt.toISOString(),
    durationMs,
    endpoints,
    total,
    timeline: aggregator.timeline,
    ...(hold ? { hold } : {}),
    ...(spec.name === 'ramp' && spec.rate !== undefined
      ? { model: 'open' as const, targetRate: spec.rate, droppedIterations: dropped }
      : {}),
    ...(dataExhausted
      ? { note: 'scenario.data ran out of rows: no more users were started (when-exhausted: stop)' }
      : {}),
  };
  context.onEvent?.({ type: 'stage-end', stage: spec.name, result });
  return result;
}

function reasonOf(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return reason === undefined ? 'the run was stopped' : String(reason);
}
