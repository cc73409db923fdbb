// Runs loadgate's built-in engine alone (no stack, no report) for the benchmark; prints JSON.
// Usage: node bench/loadgate-runner.mjs URL USERS SECONDS [THINK_MS]
import { createBuiltinEngine } from '../.cache/build/engine/builtin/builtin-engine.js';

const [url, users, seconds, thinkMs = '0'] = process.argv.slice(2);
const think = Number(thinkMs);
const stage = await createBuiltinEngine().runStage(
  {
    name: 'ramp',
    users: Number(users),
    spawnRate: Math.max(Number(users), 1000),
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
console.log(
  JSON.stringify({
    requests: stage.total.requests,
    failures: stage.total.failures,
    seconds: stage.durationMs / 1000,
    p50: stage.total.latency.p50,
    p99: stage.total.latency.p99,
    heldRps: heldRate(stage.timeline),
  }),
);

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
