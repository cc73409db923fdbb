// Runs loadgate's built-in engine alone (no stack, no report) for the benchmark; prints JSON.
// Usage: node bench/loadgate-runner.mjs URL USERS SECONDS [THINK_MS] [SPAWN_RATE]
// SPAWN_RATE: users started per second (default: all of them within a second, at least 1000/s).
// LOADGATE_BUILD: another build of the engine (tsc output), to compare two builds side by side.
// With `node --cpu-prof` it writes a CPU profile of the run (scripts/bench.mjs BENCH_PROFILE=1).
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const build = process.env.LOADGATE_BUILD ?? new URL('../.cache/build', import.meta.url).pathname;
const { createBuiltinEngine } = await import(
  pathToFileURL(path.join(build, 'engine/builtin/builtin-engine.js')).href
);

/** Sampling period of the event-loop delay monitor (ms): a sample is this period plus the lag. */
const RESOLUTION_MS = 10;

const [url, users, seconds, thinkMs = '0', spawnRate] = process.argv.slice(2);
const think = Number(thinkMs);
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
delay.enable();
// the generator's garbage-collection pauses (start and duration, ms on performance.now()'s clock)
const pauses = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) pauses.push([entry.startTime, entry.duration]);
});
gcObserver.observe({ entryTypes: ['gc'] });
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
const stage = await createBuiltinEngine().runStage(
  {
    name: 'ramp',
    users: Number(users),
    spawnRate: spawnRate ? Number(spawnRate) : Math.max(Number(users), 1000),
    durationMs: Number(seconds) * 1000,
  },
  {
    target: url,
    env: {},
    scenario: {
      setup: [],
      think: { minMs: think, maxMs: think },
      tasks: [
        {
          name: 'GET /',
          weight: 1,
          request: {
            method: 'GET',
            url: '/',
            headers: {},
            query: {},
            body: undefined,
            timeoutMs: 30_000,
          },
          capture: [],
          check: { status: undefined, bodyContains: undefined, json: undefined },
        },
      ],
    },
  },
);
delay.disable();
const cpu = process.cpuUsage(cpuStart);
const wallMs = performance.now() - wallStart;
await new Promise((resolve) => setImmediate(resolve)); // the last GC entries are delivered
gcObserver.disconnect();
/** How late the loop ran beyond the sampling period, in ms (0.01 ms steps). */
const lag = (ns) => Math.round(Math.max(0, ns / 1e6 - RESOLUTION_MS) * 100) / 100;
console.log(
  JSON.stringify({
    requests: stage.total.requests,
    failures: stage.total.failures,
    seconds: stage.durationMs / 1000,
    p50: stage.total.latency.p50,
    p99: stage.total.latency.p99,
    heldRps: heldRate(stage.timeline),
    steadyP99: steadyP99(stage.timeline),
    // the hold period: every user started (no connection opening in it, but the last users')
    holdP50: stage.hold?.total.latency.p50,
    holdP99: stage.hold?.total.latency.p99,
    // the generator's own view of itself: its CPU share of the wall time and its event-loop lag
    cpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10,
    eventLoopDelayMs: {
      p50: lag(delay.percentile(50)),
      p90: lag(delay.percentile(90)),
      p99: lag(delay.percentile(99)),
      p999: lag(delay.percentile(99.9)),
      max: lag(delay.max),
      samples: delay.count,
    },
    gcPausesMs: gcPauses(pauses, stage.timeline),
  }),
);

/**
 * The generator's GC pauses: how many, their total and the longest, over the whole run and once
 * every user has connected (the seconds `steadyP99` reads), in ms. A pause holds every response
 * that arrives meanwhile: what the generator adds to their latencies.
 */
function gcPauses(all, timeline) {
  const full = Math.max(...timeline.map((p) => p.users));
  const steady = timeline.filter((p) => p.users === full).slice(2, -1);
  // timeline point `second` closes the stage's second-th second
  const from = steady.length > 0 ? wallStart + (steady[0].second - 1) * 1000 : Infinity;
  const to = steady.length > 0 ? wallStart + steady[steady.length - 1].second * 1000 : Infinity;
  const summary = (list, seconds) => ({
    count: list.length,
    perSecond: seconds > 0 ? Math.round((list.length / seconds) * 10) / 10 : null,
    total: Math.round(list.reduce((sum, [, d]) => sum + d, 0) * 10) / 10,
    max: Math.round(Math.max(0, ...list.map(([, d]) => d)) * 10) / 10,
  });
  return {
    run: summary(all, (performance.now() - wallStart) / 1000),
    steady: summary(
      all.filter(([at]) => at >= from && at < to),
      steady.length,
    ),
  };
}

/**
 * The p99 once every user runs and has connected: the median of the per-second p99s at full
 * user count, without the first two of those seconds (the last users' connections and first
 * requests) and the last (cut short). Only for reading where a tail is made: p99 is the figure.
 */
function steadyP99(timeline) {
  const full = Math.max(...timeline.map((p) => p.users));
  const steady = timeline.filter((p) => p.users === full).slice(2, -1);
  if (steady.length === 0) return undefined;
  const values = steady.map((p) => p.p99).sort((a, b) => a - b);
  return values[Math.floor((values.length - 1) / 2)];
}

/**
 * The rate sustained once every user runs: the median per-second rate over the seconds at full
 * user count, without the first (users still connecting) and the last (cut short) of them.
 */
function heldRate(timeline) {
  const full = Math.max(...timeline.map((p) => p.users));
  const steady = timeline.filter((p) => p.users === full).slice(1, -1);
  if (steady.length === 0) return undefined;
  const rates = steady.map((p) => p.rps).sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)];
}
