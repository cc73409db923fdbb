import type { Config } from '../config/schema.js';
import { withinLimit, type Limit } from '../config/limit.js';
import type { EndpointStats, RunResult, StageResult } from '../model/run-result.js';
import type { GateResult, ThresholdMetric, ThresholdResult } from '../model/verdict.js';

/**
 * The verdict, from plain data. A failed smoke stage fails the gate on its own; otherwise the
 * thresholds are evaluated on the ramp (the stage that carries the load). A threshold that
 * cannot be evaluated (no requests) is an `error` and fails the gate: never a silent pass.
 */
export function evaluateGate(result: RunResult, thresholds: Config['thresholds']): GateResult {
  const smoke = result.stages.find((s) => s.name === 'smoke');
  const ramp = result.stages.find((s) => s.name === 'ramp');
  const smokeFailed = !smoke || smoke.status !== 'completed' || smoke.total.failures > 0;

  const measured = ramp && ramp.status !== 'skipped' && ramp.total.requests > 0 ? ramp : smoke;
  const checks: ThresholdResult[] = [];
  if (measured) {
    checks.push(check('failure-rate', 'global', thresholds.failureRate, measured.total));
    checks.push(check('p95', 'global', thresholds.p95, measured.total));
    for (const [name, endpoint] of Object.entries(thresholds.endpoints)) {
      const stats = measured.endpoints.find((e) => e.name === name);
      if (endpoint.failureRate)
        checks.push(check('failure-rate', name, endpoint.failureRate, stats));
      if (endpoint.p95) checks.push(check('p95', name, endpoint.p95, stats));
    }
  }

  if (smokeFailed) {
    return { verdict: 'fail', headline: smokeHeadline(smoke), smokeFailed, thresholds: checks };
  }
  if (ramp?.status === 'aborted') {
    return {
      verdict: 'fail',
      headline: `Ramp stage aborted: ${ramp.reason ?? 'the run was stopped'}`,
      smokeFailed,
      thresholds: checks,
    };
  }
  const failed = checks.filter((c) => c.status !== 'pass');
  if (failed.length === 0) {
    return {
      verdict: 'pass',
      headline: `All ${checks.length} thresholds passed`,
      smokeFailed,
      thresholds: checks,
    };
  }
  return {
    verdict: 'fail',
    headline: `${failed.length} of ${checks.length} thresholds failed: ${failed.map(describeThreshold).join('; ')}`,
    smokeFailed,
    thresholds: checks,
  };
}

function check(
  metric: ThresholdMetric,
  scope: string,
  limit: Limit,
  stats: EndpointStats | undefined,
): ThresholdResult {
  const unit = metric === 'failure-rate' ? '%' : 'ms';
  if (!stats || stats.requests === 0) {
    return {
      metric,
      scope,
      limit: limit.text,
      actual: null,
      unit,
      status: 'error',
      note:
        scope === 'global'
          ? 'no requests were made'
          : `no requests to ${scope} were made: check the endpoint name`,
    };
  }
  // A latency computed over failed requests only says how fast errors come back: it is not
  // evidence that the endpoint is fast. p95 is still reported, but a 100% failure rate fails it.
  const actual =
    metric === 'failure-rate' ? round((stats.failures / stats.requests) * 100) : stats.latency.p95;
  const allFailed = metric === 'p95' && stats.failures === stats.requests;
  return {
    metric,
    scope,
    limit: limit.text,
    actual,
    unit,
    status: withinLimit(actual, limit) && !allFailed ? 'pass' : 'fail',
    ...(allFailed
      ? { note: 'every request failed: this latency is the time to get an error' }
      : {}),
  };
}

function smokeHeadline(smoke: StageResult | undefined): string {
  if (!smoke) return 'Smoke stage did not run';
  if (smoke.status !== 'completed' && smoke.total.failures === 0) {
    return `Smoke stage ${smoke.status}: ${smoke.reason ?? 'no reason given'}`;
  }
  const worst = [...smoke.endpoints].sort((a, b) => b.failures - a.failures)[0];
  const error = worst?.errors[0];
  if (!worst || !error)
    return `Smoke stage failed: ${smoke.total.failures} of ${smoke.total.requests} requests failed`;
  const every =
    worst.failures === worst.requests
      ? 'for every request'
      : `for ${worst.failures} of ${worst.requests} requests`;
  const what = error.status ? `returned ${error.status}` : `failed with ${error.message}`;
  return `Smoke stage failed: ${worst.name} ${what} ${every}`;
}

export function describeThreshold(t: ThresholdResult): string {
  const scope = t.scope === 'global' ? '' : ` of ${t.scope}`;
  const actual = t.actual === null ? 'n/a' : `${t.actual}${t.unit}`;
  return `${t.metric}${scope} ${actual} (limit ${t.limit})`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
