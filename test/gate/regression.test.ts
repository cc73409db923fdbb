import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { compareFailureRate, compareP95 } from '../../src/gate/regression.js';
import { seededRandom } from '../../src/gate/statistics.js';
import type { EndpointStats } from '../../src/model/run-result.js';
import { thresholdLimit, thresholdNote } from '../../src/report/gate-messages.js';
import { endpoint, run, stage } from '../support/run-result.js';
import { wordedGate } from '../support/worded-gate.js';

const limits = configSchema.parse({
  target: 'http://x',
  scenario: { tasks: [{ request: { url: '/' } }] },
}).thresholds;

/** n latencies (ms) from a log-normal distribution around `medianMs`, as the engine would report them. */
function measured(seed: number, n: number, medianMs: number, scale = 1): EndpointStats {
  const random = seededRandom(seed);
  const values = Array.from({ length: n }, () => {
    const gaussian = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return medianMs * Math.exp(0.5 * gaussian) * scale;
  }).sort((a, b) => a - b);
  const at = (p: number) => values[Math.max(0, Math.ceil((p / 100) * n) - 1)] as number;
  return endpoint({
    name: 'GET /items',
    requests: n,
    latency: {
      min: at(0),
      max: at(100),
      mean: values.reduce((s, v) => s + v, 0) / n,
      p50: at(50),
      p90: at(90),
      p95: at(95),
      p99: at(99),
    },
    quantiles: Array.from({ length: 201 }, (_, i) => at(i / 2)),
  });
}

describe('p95 regressions tell real slowdowns from noise', () => {
  it('a 30% slower distribution is a fail', () => {
    const result = compareP95(
      'global',
      measured(1, 3000, 40),
      measured(2, 3000, 40, 1.3),
      limits.regression.p95,
    );
    expect(result).toMatchObject({
      kind: 'regression',
      status: 'fail',
      regressionLimit: { relativePercent: 15, absolute: 5 },
    });
    expect(result.limit).toBeUndefined();
    expect(thresholdLimit(result, 'en')).toBe('+15% and +5ms');
    expect(thresholdLimit(result, 'fr')).toBe('+15% et +5ms');
    expect(result.delta).toBeGreaterThan(15);
    expect(result.fact).toMatchObject({ kind: 'p95-interval', confirmed: true });
    expect(thresholdNote(result, 'en')).toMatch(
      /^95% interval of the difference: \+[\d.]+ to \+[\d.]+ ms$/,
    );
    expect(thresholdNote(result, 'fr')).toMatch(
      /^intervalle à 95 % de la différence : \+[\d.]+ à \+[\d.]+ ms$/,
    );
  });

  it('two samples of the same distribution are never a fail (0 false alarms in 200 seeds)', () => {
    let fails = 0;
    for (let seed = 0; seed < 200; seed++) {
      const result = compareP95(
        'global',
        measured(1000 + seed, 500, 40),
        measured(5000 + seed, 500, 40),
        limits.regression.p95,
      );
      if (result.status === 'fail') fails++;
    }
    expect(fails).toBe(0);
  });

  it('a small shift measured on few requests is inconclusive, and says what would settle it', () => {
    const result = compareP95(
      'global',
      measured(7, 40, 40),
      measured(8, 40, 40, 1.4),
      limits.regression.p95,
    );
    expect(result.status).toBe('inconclusive');
    expect(result.fact).toMatchObject({ kind: 'p95-interval', confirmed: false });
    expect(thresholdNote(result, 'en')).toContain('a longer ramp (more requests) would settle it');
    expect(thresholdNote(result, 'fr')).toContain(
      'une montée en charge plus longue (plus de requêtes) trancherait',
    );
  });

  it('the absolute floor stops tiny numbers from flapping: 1 ms → 1.5 ms is not a regression', () => {
    expect(
      compareP95('global', measured(3, 3000, 1), measured(4, 3000, 1, 1.5), limits.regression.p95)
        .status,
    ).toBe('pass');
  });

  it('a faster run is a pass with a negative delta', () => {
    const result = compareP95(
      'global',
      measured(5, 2000, 40),
      measured(6, 2000, 40, 0.7),
      limits.regression.p95,
    );
    expect(result.status).toBe('pass');
    expect(result.delta).toBeLessThan(0);
  });
});

describe('failure-rate regressions', () => {
  const rate = (failures: number, requests: number) =>
    endpoint({ name: 'GET /items', requests, failures });
  it.each([
    { base: [2, 1000], current: [50, 1000], status: 'fail' },
    { base: [1, 100], current: [3, 100], status: 'inconclusive' },
    { base: [10, 1000], current: [11, 1000], status: 'pass' },
    { base: [0, 200], current: [2, 200], status: 'inconclusive' },
    { base: [0, 1000], current: [4, 1000], status: 'pass' },
  ])('$base → $current is $status', ({ base, current, status }) => {
    const result = compareFailureRate(
      'global',
      rate(base[0]!, base[1]!),
      rate(current[0]!, current[1]!),
      limits.regression.failureRate,
    );
    expect(result.status).toBe(status);
  });
});

describe('evaluateGate with a baseline', () => {
  const baseline = (p95Scale: number) => ({
    stages: [
      stage('smoke', [measured(11, 5, 40)]),
      stage('ramp', [measured(12, 3000, 40, p95Scale)]),
    ],
    commit: 'b'.repeat(40),
    source: 'base.json',
  });
  const current = run([
    stage('smoke', [measured(13, 5, 40)]),
    stage('ramp', [measured(14, 3000, 40, 1.3)]),
  ]);

  it('fails on a credible regression and counts it', () => {
    const gate = wordedGate(current, limits, baseline(1));
    expect(gate).toMatchObject({
      verdict: 'fail',
      regressions: 2,
      baseline: { commit: 'b'.repeat(40), source: 'base.json' },
    });
    expect(gate.headline).toContain('p95 regressed');
  });

  it('passes against a baseline just as slow, and says so', () => {
    const gate = wordedGate(current, limits, baseline(1.3));
    expect(gate.verdict).toBe('pass');
    expect(gate.headline).toContain('no regression against bbbbbbb');
  });

  it('is inconclusive when the only problem is an unconfirmed regression', () => {
    const few = run([
      stage('smoke', [measured(13, 5, 40)]),
      stage('ramp', [measured(15, 40, 40, 1.25)]),
    ]);
    const gate = wordedGate(few, limits, {
      stages: [stage('ramp', [measured(16, 40, 40)])],
      source: 'base.json',
    });
    expect(gate.verdict).toBe('inconclusive');
    expect(gate.regressions).toBe(0);
  });
});
