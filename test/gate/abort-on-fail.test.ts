import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { abortWatcher } from '../../src/gate/abort-on-fail.js';
import { stageReasonText } from '../../src/report/gate-messages.js';

const thresholds = (raw: Record<string, unknown>) =>
  configSchema.parse({
    target: 'http://x',
    scenario: { tasks: [{ request: { url: '/' } }] },
    thresholds: raw,
  }).thresholds;
const snapshot = (elapsedMs: number, failures: number, p95 = 20) => ({
  elapsedMs,
  requests: 1000,
  failures,
  rps: 100,
  latency: { min: 1, max: 90, mean: 10, p50: 8, p90: 15, p95, p99: 40 },
});

describe('abort-on-fail', () => {
  it('is off by default', () => {
    expect(abortWatcher(thresholds({}))).toBeUndefined();
  });

  it('waits for the delay, then stops on a breached threshold and says which', () => {
    const watch = abortWatcher(thresholds({ 'abort-on-fail': { delay: '5s' } }))!;
    expect(watch(snapshot(4000, 500))).toBeUndefined();
    expect(watch(snapshot(6000, 5))).toBeUndefined();
    const breach = watch(snapshot(6000, 500));
    expect(breach).toEqual({
      kind: 'abort-on-fail',
      elapsedMs: 6000,
      metric: 'failure-rate',
      actual: 50,
      unit: '%',
      limit: '< 1%',
      requests: 1000,
    });
    expect(stageReasonText(breach!, 'en')).toBe(
      'aborted by thresholds.abort-on-fail after 6s: failure-rate 50% breaks < 1% (1000 requests so far)',
    );
    expect(stageReasonText(breach!, 'fr')).toBe(
      'arrêtée par thresholds.abort-on-fail après 6s : failure-rate 50% dépasse < 1% (1000 requêtes jusque-là)',
    );
    expect(watch(snapshot(6000, 0, 900))).toMatchObject({ metric: 'p95', actual: 900, unit: 'ms' });
  });

  it('true means a 10 s delay', () => {
    const watch = abortWatcher(thresholds({ 'abort-on-fail': true }))!;
    expect(watch(snapshot(9000, 900))).toBeUndefined();
    expect(watch(snapshot(10_000, 900))).toBeDefined();
  });
});
