import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { diagnose } from '../support/diagnose.js';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import type { RunResult, TimelinePoint } from '../../src/model/run-result.js';
import type {
  ResourceSample,
  ServiceEvidence,
  StackEvidence,
} from '../../src/model/stack-evidence.js';
import type { Locale } from '../../src/report/messages.js';
import { endpoint, run, stage } from '../support/run-result.js';

const configWith = (p95: string) =>
  configSchema.parse({
    target: 'http://127.0.0.1:8000',
    scenario: { tasks: [{ name: 'POST /login', request: { method: 'POST', url: '/login' } }] },
    thresholds: { p95 },
  });
const config = configWith('< 20ms');

/** A ramp whose throughput stops at ~`rps` from 10 users on while latency climbs. */
function plateau(rps: number, p95s: number[]): TimelinePoint[] {
  const users = [1, 5, 10, 15, 20, 20];
  const rates = [rps / 8, rps / 2, rps, rps, rps, rps];
  return users.map((u, i) => ({
    second: i + 1,
    users: u,
    rps: rates[i] as number,
    failuresPerSecond: 0,
    p50: (p95s[i] as number) / 2,
    p95: p95s[i] as number,
  }));
}

function result(options: {
  rps: number;
  p95s: number[];
  smokeP50: number;
  generator?: RunResult['generator'];
}): RunResult {
  const latency = (p50: number, p95: number) => ({
    min: 1,
    max: p95 * 2,
    mean: p50,
    p50,
    p90: p95,
    p95,
    p99: p95,
  });
  const smoke = stage('smoke', [
    endpoint({
      name: 'POST /login',
      requests: 3,
      latency: latency(options.smokeP50, options.smokeP50),
    }),
  ]);
  const ramp = stage(
    'ramp',
    [endpoint({ name: 'POST /login', requests: 1200, latency: latency(30, 60) })],
    { timeline: plateau(options.rps, options.p95s), users: 20, peakUsers: 20 },
  );
  return {
    ...run([smoke, ramp]),
    generator: options.generator ?? { cpuPercent: 30, maxEventLoopLagMs: 4 },
  };
}

const samples = (busiest: number[], processes = 1, total?: number[]): ResourceSample[] =>
  busiest.map((b, i) => ({
    second: i + 2,
    cpuPercent: total?.[i] ?? b,
    busiestProcessCpuPercent: b,
    rssMb: 60,
    processes,
  }));

const service = (name: string, cpu: number[], logTail: string[]): ServiceEvidence => ({
  service: name,
  container: `demo-${name}-1`,
  state: 'running',
  events: [],
  samples: cpu.map((cpuPercent, i) => ({ second: i + 2, cpuPercent, memoryMb: 80 })),
  peakCpuPercent: Math.max(...cpu),
  logTail,
});

const stack = (resources: ResourceSample[], readyAfterMs = 300): StackEvidence => ({
  command: 'node server.mjs',
  started: true,
  ready: true,
  readyAfterMs,
  resources,
  logTail: [],
});

function diagnoseRun(r: RunResult, s: StackEvidence | undefined, locale?: Locale) {
  return diagnose({
    config,
    result: r,
    gate: evaluateGate(r, config.thresholds),
    ...(s ? { stack: s } : {}),
    ...(locale ? { locale } : {}),
  });
}

const CPU_BOUND = {
  rps: 330,
  p95s: [4, 6, 16, 40, 63, 64],
  smokeP50: 3,
};
const ONE_SLOT = {
  rps: 20,
  p95s: [55, 100, 500, 750, 1000, 1000],
  smokeP50: 50,
};

describe('capacity: what stopped the throughput, told apart', () => {
  it.each([
    {
      what: 'a single process at a full core for seconds',
      run: CPU_BOUND,
      stack: stack(samples([99, 100, 98, 100])),
      id: 'capacity.cpu-bound',
      confidence: 0.95,
      signals: [
        'throughput flat at ~330 requests/s from 10 users on, while users grew to 20',
        'p95 per second grew from 4 ms to 63.5 ms',
        'the stack’s busiest process at 85% of one core or more for 4 s (peak 100%)',
        'requests served one at a time',
      ],
      action:
        'Run more workers/processes (one per core), and move blocking CPU work (password hashing',
    },
    {
      what: 'two processes, the busiest at a full core (the group at 190%)',
      run: CPU_BOUND,
      stack: stack(samples([95, 96, 95], 2, [190, 190, 189])),
      id: 'capacity.cpu-bound',
      confidence: 0.95,
      signals: ['for 3 s (peak 96%)'],
      action: 'Run more workers/processes',
    },
    {
      what: 'a main thread always on or waiting for a CPU on a busy machine, at 35% of a core',
      run: CPU_BOUND,
      stack: stack(
        samples([33, 35, 34]).map((s, i) => ({ ...s, busiestThreadBusyPercent: [99, 100, 98][i] })),
      ),
      id: 'capacity.cpu-bound',
      confidence: 0.95,
      signals: [
        'the stack’s busiest process saturated for 3 s: its main thread on a CPU or waiting for one up to 100% of the time, its CPU up to 35% of one core',
      ],
      action: 'Run more workers/processes',
    },
    {
      what: 'the CPU idle, one request at a time (a single-slot queue)',
      run: ONE_SLOT,
      stack: stack(samples([3, 4, 2, 3])),
      id: 'capacity.shared-bottleneck',
      confidence: 0.95,
      signals: [
        'the stack’s busiest process peaked at 4% of one core: the CPU is not what stops it',
        'about 1 request served at once (throughput 20/s × one request’s time): a limit of 1',
      ],
      action: 'Find what serves one request at a time — a single worker or thread, a global lock',
    },
    {
      what: 'the CPU idle, about five at a time (a pool of five)',
      run: { ...ONE_SLOT, rps: 100 },
      stack: stack(samples([10, 12, 11])),
      id: 'capacity.shared-bottleneck',
      confidence: 0.95,
      signals: ['about 5 requests served at once'],
      action: 'Find the limit of about 5 at a time — a connection pool',
    },
    {
      what: 'a compose stack with a database, the app container idle, a pool line in its log',
      run: { ...ONE_SLOT, rps: 100 },
      stack: {
        ...stack([]),
        services: [
          service('api', [8, 12, 9], ['12:00:01.000 WARNING pool wait 180 ms (10/10 in use)']),
          service('postgres', [3, 4, 3], []),
        ],
      },
      id: 'capacity.shared-bottleneck',
      confidence: 0.95,
      signals: [
        'service api peaked at 12% of one core: the CPU is not what stops it',
        'log: api | 12:00:01.000 WARNING pool wait 180 ms (10/10 in use)',
        'the stack runs a database service (postgres): the pool of connections to it is the usual limit',
      ],
      action: 'Find the limit of about 5 at a time — a connection pool',
    },
    {
      what: 'four processes at 30% each: the group at 120%, none full',
      run: ONE_SLOT,
      stack: stack(samples([30, 31, 30], 4, [120, 122, 119])),
      id: 'capacity.shared-bottleneck',
      confidence: 0.95,
      signals: ['peaked at 31% of one core'],
      action: 'Find what serves one request at a time',
    },
    {
      what: 'the CPU neither full nor idle',
      run: CPU_BOUND,
      stack: stack(samples([70, 72, 69])),
      id: 'capacity.saturation',
      confidence: 0.9,
      signals: ['peaked at 72% of one core: neither full nor idle'],
      action: 'Find what limits throughput: the CPU',
    },
    {
      what: 'no CPU figures at all',
      run: CPU_BOUND,
      stack: undefined,
      id: 'capacity.saturation',
      confidence: 0.75,
      signals: ['2 independent signals agree'],
      action: 'Find what limits throughput',
    },
    {
      what: 'a full core only while the stack booted (before ready): not the load',
      run: CPU_BOUND,
      stack: stack(samples([100, 100, 3, 4]), 2500),
      id: 'capacity.shared-bottleneck',
      confidence: 0.95,
      signals: ['peaked at 4% of one core'],
      action: 'Find what serves one request at a time',
    },
  ])('$what → $id', ({ run: r, stack: s, id, confidence, signals, action }) => {
    const { findings, plan } = diagnoseRun(result(r), s);
    expect(findings[0]).toMatchObject({ id, confidence, priority: 'high' });
    const evidence = findings[0]?.evidence.join('\n') ?? '';
    expect(evidence).toMatch(
      /^knee: throughput stopped growing at 10 users \(~\d+ requests\/s, second 3 of the ramp\) while users kept growing to 20/,
    );
    for (const signal of signals) expect(evidence).toContain(signal);
    expect(plan[0]?.text.startsWith(action)).toBe(true);
    // the p95 finding ranks below, points to the cause and shares its action
    const latency = findings.find((f) => f.id === 'latency.threshold');
    expect(findings.indexOf(latency!)).toBeGreaterThan(0);
    expect(latency?.evidence[1]).toMatch(
      new RegExp(`^explained by \`${id}\`: throughput stopped growing at 10 users`),
    );
    expect(latency?.actions[0]?.text).toBe(findings[0]?.actions[0]?.text);
    expect(plan.filter((p) => p.text === findings[0]?.actions[0]?.text)).toHaveLength(1);
    expect(findings.map((f) => f.id)).not.toContain('generator.saturated');
  });

  it('without a cause, the p95 finding keeps its own advice', () => {
    const r = result(CPU_BOUND);
    r.stages[1]!.timeline = r.stages[1]!.timeline.map((p, i) => ({
      ...p,
      users: 5 * (i + 1),
      rps: 50 * (i + 1),
    }));
    const { findings } = diagnoseRun(r, stack(samples([99, 99, 99])));
    expect(findings.map((f) => f.id)).toEqual(['latency.threshold']);
    expect(findings[0]?.actions[0]?.text).toMatch(/^Profile POST \/login under load/);
  });

  it('a saturated generator explains the plateau itself: generator.saturated, no capacity finding', () => {
    const r = result({ ...CPU_BOUND, generator: { cpuPercent: 98, maxEventLoopLagMs: 340 } });
    const { findings } = diagnoseRun(r, stack(samples([99, 99, 99])));
    expect(findings[0]).toMatchObject({
      id: 'generator.saturated',
      priority: 'high',
      confidence: 0.9,
    });
    expect(findings[0]?.evidence).toEqual([
      "3 independent signals agree: generator CPU 98% of one core on average over 20 s; worst event-loop delay 340 ms; throughput flat at ~330 requests/s from 10 users on: the generator's own limit",
    ]);
    expect(findings.map((f) => f.id).filter((id) => id.startsWith('capacity.'))).toEqual([]);
  });

  it.each([
    {
      what: 'a busy CPU without event-loop delay',
      generator: { cpuPercent: 99, maxEventLoopLagMs: 40 },
    },
    {
      what: 'event-loop delay without a busy CPU',
      generator: { cpuPercent: 45, maxEventLoopLagMs: 900 },
    },
  ])('no generator.saturated from $what', ({ generator }) => {
    const { findings } = diagnoseRun(
      result({ ...CPU_BOUND, generator }),
      stack(samples([99, 99, 99])),
    );
    expect(findings.map((f) => f.id)).not.toContain('generator.saturated');
    expect(findings[0]?.id).toBe('capacity.cpu-bound');
  });

  it('Locust measures no event-loop delay: its CPU alone tells', () => {
    const r = {
      ...result(CPU_BOUND),
      engine: 'locust',
      generator: { cpuPercent: 97, maxEventLoopLagMs: 0 },
    };
    const { findings } = diagnoseRun(r, undefined);
    expect(findings[0]).toMatchObject({ id: 'generator.saturated', confidence: 0.75 });
  });

  it('renders in French', () => {
    const { findings, plan } = diagnoseRun(result(CPU_BOUND), stack(samples([99, 100, 98])), 'fr');
    expect(findings[0]?.title).toBe(
      'L’API est limitée par le CPU : le débit plafonne à ~330 requêtes/s dès 10 utilisateurs, son CPU plein',
    );
    expect(findings[0]?.evidence.join('\n')).toContain(
      '4 signaux indépendants concordent : débit plat à ~330 requêtes/s dès 10 utilisateurs',
    );
    expect(plan[0]?.text).toMatch(/^Lancer plus de workers\/processus/);
    const latency = findings.find((f) => f.id === 'latency.threshold');
    expect(latency?.evidence[1]).toMatch(
      /^expliqué par `capacity.cpu-bound` : le débit a cessé de croître à 10 utilisateurs/,
    );
    const shared = diagnoseRun(result(ONE_SLOT), stack(samples([3, 4, 2])), 'fr').findings[0];
    expect(shared?.title).toBe(
      'Un goulet partagé plafonne l’API à ~20 requêtes/s dès 10 utilisateurs, son CPU presque inactif',
    );
    expect(shared?.actions[0]?.text).toMatch(/^Trouver ce qui sert une requête à la fois/);
  });
});

describe('no false alarms on a healthy run', () => {
  it.each([
    {
      what: 'a busy generator in a short run (a one-request smoke)',
      durationMs: 150,
      generator: { cpuPercent: 170, maxEventLoopLagMs: 300 },
    },
    {
      what: 'a calm generator',
      durationMs: 20_000,
      generator: { cpuPercent: 35, maxEventLoopLagMs: 6 },
    },
    {
      what: 'a busy generator whose loop kept up',
      durationMs: 20_000,
      generator: { cpuPercent: 95, maxEventLoopLagMs: 30 },
    },
  ])('nothing above Low: $what', ({ durationMs, generator }) => {
    const smoke = stage('smoke', [endpoint({ name: 'POST /login', requests: 3 })]);
    const timeline = [1, 5, 10, 15, 20, 20].map((users, i) => ({
      second: i + 1,
      users,
      rps: users * 40,
      failuresPerSecond: 0,
      p50: 3,
      p95: 6,
    }));
    const ramp = stage('ramp', [endpoint({ name: 'POST /login', requests: 2000 })], { timeline });
    const r = { ...run([smoke, ramp]), durationMs, generator };
    const lenient = configWith('< 1s');
    const gate = evaluateGate(r, lenient.thresholds);
    expect(gate.verdict).toBe('pass');
    const { findings } = diagnose({
      config: lenient,
      result: r,
      gate,
      stack: stack(samples([40, 60, 35])),
    });
    expect(findings.filter((f) => f.priority !== 'low')).toEqual([]);
  });
});
