import type { Config } from '../config/schema.js';
import type { EndpointStats } from '../model/run-result.js';
import type { ThresholdResult } from '../model/verdict.js';
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
): ThresholdResult {
  const base = baseline.latency.p95;
  const actual = current.latency.p95;
  const delta = round(actual - base);
  const limit = `+${limits.relativePercent}% and +${limits.absolute}ms`;
  const result = {
    kind: 'regression' as const,
    metric: 'p95' as const,
    scope,
    limit,
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
      note: 'no latency distribution on one side: cannot tell a regression from noise',
    };
  }
  const interval = bootstrapP95Difference(
    { n: baseline.requests, quantiles: baseline.quantiles },
    { n: current.requests, quantiles: current.quantiles },
  );
  if (over(interval.low)) {
    return {
      ...result,
      status: 'fail',
      note: `95% interval of the difference: +${round(interval.low)} to +${round(interval.high)} ms`,
    };
  }
  return {
    ...result,
    status: 'inconclusive',
    note: `95% interval of the difference: ${round(interval.low)} to +${round(interval.high)} ms, which includes changes under the limit: a longer ramp (more requests) would settle it`,
  };
}

/** Failure rate against the baseline, in percentage points; significance by a two-proportion z-test. */
export function compareFailureRate(
  scope: string,
  baseline: EndpointStats,
  current: EndpointStats,
  limits: RegressionLimits['failureRate'],
): ThresholdResult {
  const base = baseline.requests ? (baseline.failures / baseline.requests) * 100 : 0;
  const actual = current.requests ? (current.failures / current.requests) * 100 : 0;
  const delta = round(actual - base);
  const limit = `+${limits.relativePercent}% and +${limits.absolute} points`;
  const result = {
    kind: 'regression' as const,
    metric: 'failure-rate' as const,
    scope,
    limit,
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
  return z > 1.96
    ? { ...result, status: 'fail', note: `significant (z = ${round(Math.min(z, 99))})` }
    : {
        ...result,
        status: 'inconclusive',
        note: `not significant with these request counts (z = ${round(z)}): a longer ramp would settle it`,
      };
}
