import type { Config } from '../config/schema.js';
import type { EndpointStats } from '../model/run-result.js';
import type { ThresholdCheck } from '../model/verdict.js';
import { bootstrapP95Difference, proportionZ } from './statistics.js';

type RegressionLimits = Config['thresholds']['regression'];

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * p95 against the baseline: a regression needs BOTH the relative limit (default +15%) and the
 * absolute floor (default +5 ms), and is only a `fail` when the bootstrap interval of the
 * difference clears both; an over-limit estimate the data cannot confirm is `inconclusive`.
 */
export function compareP95(
  scope: string,
  baseline: EndpointStats,
  current: EndpointStats,
  limits: RegressionLimits['p95'],
): ThresholdCheck {
  const base = baseline.latency.p95;
  const actual = current.latency.p95;
  const delta = round(actual - base);
  const regressionLimit = { relativePercent: limits.relativePercent, absolute: limits.absolute };
  const result = {
    kind: 'regression' as const,
    metric: 'p95' as const,
    scope,
    regressionLimit,
    actual,
    unit: 'ms' as const,
    baseline: base,
    delta,
  };
  const over = (d: number) =>
    d > limits.absolute && (base === 0 || (d / base) * 100 > limits.relativePercent);
  if (!over(delta)) return { ...result, status: 'pass' };
  if (!baseline.quantiles?.length || !current.quantiles?.length) {
    return {
      ...result,
      status: 'inconclusive',
      fact: { kind: 'no-distribution' },
    };
  }
  const interval = bootstrapP95Difference(
    { n: baseline.requests, quantiles: baseline.quantiles },
    { n: current.requests, quantiles: current.quantiles },
  );
  const confirmed = over(interval.low);
  return {
    ...result,
    status: confirmed ? 'fail' : 'inconclusive',
    fact: {
      kind: 'p95-interval',
      low: round(interval.low),
      high: round(interval.high),
      confirmed,
    },
  };
}

/** Failure rate against the baseline, in percentage points; significance by a two-proportion z-test. */
export function compareFailureRate(
  scope: string,
  baseline: EndpointStats,
  current: EndpointStats,
  limits: RegressionLimits['failureRate'],
): ThresholdCheck {
  const base = baseline.requests ? (baseline.failures / baseline.requests) * 100 : 0;
  const actual = current.requests ? (current.failures / current.requests) * 100 : 0;
  const delta = round(actual - base);
  const regressionLimit = { relativePercent: limits.relativePercent, absolute: limits.absolute };
  const result = {
    kind: 'regression' as const,
    metric: 'failure-rate' as const,
    scope,
    regressionLimit,
    actual: round(actual),
    unit: '%' as const,
    baseline: round(base),
    delta,
  };
  const over =
    delta > limits.absolute && (base === 0 || (delta / base) * 100 > limits.relativePercent);
  if (!over) return { ...result, status: 'pass' };
  const z = proportionZ(
    { failures: baseline.failures, n: Math.max(1, baseline.requests) },
    { failures: current.failures, n: Math.max(1, current.requests) },
  );
  const significant = z > 1.96;
  return {
    ...result,
    status: significant ? 'fail' : 'inconclusive',
    fact: { kind: 'z-test', z: round(significant ? Math.min(z, 99) : z), significant },
  };
}
