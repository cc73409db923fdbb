import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import { measuredView, metricValue, stageView } from '../../src/gate/measured.js';
import { endpoint, run, stage } from '../support/run-result.js';
import { thresholdsOf } from '../support/thresholds.js';

const latency = (p95: number) => ({ min: 1, max: 99, mean: 9, p50: 5, p90: 8, p95, p99: 50 });
const smoke = stage('smoke', [endpoint({ name: 'GET /a', requests: 1, latency: latency(7) })]);
const whole = endpoint({ name: 'GET /a', requests: 30, failures: 1, latency: latency(800) });
const held = (requests: number) =>
  endpoint({ name: 'GET /a', requests, failures: 0, latency: latency(90) });
const ramp = (holdRequests: number) => {
  const hold = stage('ramp', [held(holdRequests)]);
  return stage('ramp', [whole], {
    hold: { startedAtSecond: 3, endpoints: hold.endpoints, total: hold.total },
  });
};

describe('the metric lookup', () => {
  it.each([
    { what: 'the whole ramp', stages: [smoke, ramp(20)], exclude: false, stage: 'ramp', p95: 800 },
    { what: 'its hold period', stages: [smoke, ramp(20)], exclude: true, stage: 'ramp', p95: 90 },
    {
      what: 'the whole ramp when the hold made no request',
      stages: [smoke, ramp(0)],
      exclude: true,
      stage: 'ramp',
      p95: 800,
    },
    {
      what: 'the smoke stage when the ramp was skipped',
      stages: [smoke, stage('ramp', [], { status: 'skipped' })],
      exclude: true,
      stage: 'smoke',
      p95: 7,
    },
  ])('measures $what', ({ stages, exclude, stage: name, p95 }) => {
    const view = measuredView(stages, exclude);
    expect({ stage: view?.stage, p95: view && metricValue('p95', view.total) }).toEqual({
      stage: name,
      p95,
    });
  });

  it('a per-stage ramp threshold reads the same numbers as the global ones', () => {
    const thresholds = thresholdsOf({
      'exclude-ramp-up': true,
      stages: { ramp: { p95: '< 100ms' } },
    });
    for (const holdRequests of [20, 0]) {
      const result = run([smoke, ramp(holdRequests)]);
      const gate = evaluateGate(result, thresholds);
      const perStage = gate.thresholds.find((t) => t.stage === 'ramp' && t.metric === 'p95');
      const global = gate.thresholds.find((t) => !t.stage && t.metric === 'p95');
      expect(perStage?.actual).toBe(global?.actual);
      expect(perStage?.actual).toBe(metricValue('p95', stageView(result.stages[1]!, true).total));
    }
  });

  it('computes each metric in its unit', () => {
    const stats = endpoint({
      name: 'GET /a',
      requests: 3,
      failures: 1,
      rps: 12.34,
      latency: latency(42),
    });
    expect(
      (['failure-rate', 'p50', 'p90', 'p95', 'p99', 'mean', 'max', 'rps'] as const).map((m) =>
        metricValue(m, stats),
      ),
    ).toEqual([33.33, 5, 8, 42, 50, 9, 99, 12.34]);
    expect(metricValue('failure-rate', { ...stats, requests: 0, failures: 0 })).toBe(0);
  });
});
