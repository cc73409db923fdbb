import { METRICS, withinLimit, type Limit, type Metric } from '../config/limit.js';
import type { Config } from '../config/schema.js';
import type { EndpointStats, RunResult, StageResult } from '../model/run-result.js';
import type {
  BaselineSubstitute,
  GateHeadlineFact,
  GateResult,
  ThresholdCheck,
} from '../model/verdict.js';
import { measuredView, metricValue, stageView } from './measured.js';
import { compareFailureRate, compareP95 } from './regression.js';

/** What a baseline contributes: the stages of an earlier JSON report, and where it came from. */
export interface Baseline {
  stages: StageResult[];
  commit?: string;
  /** "baseline.json", "artifact of run 123": said in the report. */
  source: string;
  /** Set when it is not the base commit's own: the newest run on the default branch instead. */
  substitute?: BaselineSubstitute;
}

/**
 * The verdict, from plain data. A failed smoke stage fails the gate on its own. Thresholds are
 * evaluated on the ramp (the stage that carries the load; its hold period with
 * `exclude-ramp-up`), per stage, and per endpoint; regressions against the baseline when one is
 * given. Any failure → fail; a regression the data cannot confirm → inconclusive; else pass.
 * A threshold that cannot be evaluated (no requests) is an `error` and fails: never a silent pass.
 */
export function evaluateGate(
  result: RunResult,
  thresholds: Config['thresholds'],
  baseline?: Baseline,
): GateResult {
  const smoke = result.stages.find((s) => s.name === 'smoke');
  const smokeFailed = !smoke || smoke.status !== 'completed' || smoke.total.failures > 0;
  const measured = measuredView(result.stages, thresholds.excludeRampUp);

  const checks: ThresholdCheck[] = [];
  if (measured) {
    checks.push(...limits('global', thresholds.global, measured.total));
    for (const [name, endpoint] of Object.entries(thresholds.endpoints)) {
      checks.push(
        ...limits(
          name,
          endpoint,
          measured.endpoints.find((e) => e.name === name),
        ),
      );
    }
  }
  for (const name of ['smoke', 'ramp'] as const) {
    const stageLimits = thresholds.stages[name];
    const stage = result.stages.find((s) => s.name === name);
    if (!stageLimits) continue;
    const view = stage && stageView(stage, thresholds.excludeRampUp);
    checks.push(...limits('global', stageLimits, view?.total).map((c) => ({ ...c, stage: name })));
  }

  const regressions: ThresholdCheck[] = [];
  const base = baseline && measuredView(baseline.stages, thresholds.excludeRampUp);
  if (measured && base && !smokeFailed) {
    const pairs: [string, EndpointStats, EndpointStats][] = [
      ['global', base.total, measured.total],
    ];
    for (const current of measured.endpoints) {
      const before = base.endpoints.find((e) => e.name === current.name);
      if (before && before.requests > 0 && current.requests > 0)
        pairs.push([current.name, before, current]);
    }
    for (const [scope, before, current] of pairs) {
      regressions.push(compareP95(scope, before, current, thresholds.regression.p95));
      regressions.push(
        compareFailureRate(scope, before, current, thresholds.regression.failureRate),
      );
    }
  }

  const all = [...checks, ...regressions];
  const failedRegressions = regressions.filter((r) => r.status === 'fail').length;
  const common = {
    smokeFailed,
    thresholds: all,
    regressions: failedRegressions,
    ...(thresholds.excludeRampUp ? { excludeRampUp: true as const } : {}),
    ...(baseline
      ? {
          baseline: {
            source: baseline.source,
            ...(baseline.commit ? { commit: baseline.commit } : {}),
            ...(baseline.substitute ? { substitute: baseline.substitute } : {}),
          },
        }
      : {}),
  };

  const decided = headlineFact(result, all, checks.length, smokeFailed, baseline);
  const verdict =
    decided.kind === 'passed'
      ? 'pass'
      : decided.kind === 'unconfirmed-regression'
        ? 'inconclusive'
        : 'fail';
  return { verdict, headlineFact: decided, ...common };
}

/** What decided the verdict, as facts (the report words it). Pure. */
function headlineFact(
  result: RunResult,
  all: ThresholdCheck[],
  limitChecks: number,
  smokeFailed: boolean,
  baseline: Baseline | undefined,
): GateHeadlineFact {
  const smoke = result.stages.find((s) => s.name === 'smoke');
  const ramp = result.stages.find((s) => s.name === 'ramp');
  if (smokeFailed) return smokeFact(smoke);
  if (ramp?.status === 'aborted') {
    return {
      kind: 'ramp-aborted',
      ...(ramp.reason ? { reason: ramp.reason } : {}),
      ...(ramp.reasonFact ? { reasonFact: ramp.reasonFact } : {}),
    };
  }
  const failed = all.filter((c) => c.status === 'fail' || c.status === 'error');
  if (failed.length > 0) return { kind: 'checks-failed', failed, checks: all.length };
  const unsure = all.filter((r) => r.kind === 'regression' && r.status === 'inconclusive');
  if (unsure.length > 0) return { kind: 'unconfirmed-regression', unsure };
  return {
    kind: 'passed',
    checks: limitChecks,
    ...(baseline
      ? { against: baseline.commit ? baseline.commit.slice(0, 7) : baseline.source }
      : {}),
  };
}

function limits(
  scope: string,
  set: Partial<Record<Metric, Limit>>,
  stats: EndpointStats | undefined,
): ThresholdCheck[] {
  return (Object.entries(set) as [Metric, Limit][]).map(([metric, limit]) =>
    check(metric, scope, limit, stats),
  );
}

function check(
  metric: Metric,
  scope: string,
  limit: Limit,
  stats: EndpointStats | undefined,
): ThresholdCheck {
  const unit = METRICS[metric];
  if (!stats || stats.requests === 0) {
    return {
      metric,
      scope,
      limit: limit.text,
      actual: null,
      unit,
      status: 'error',
      fact: { kind: 'no-requests' },
    };
  }
  const actual = metricValue(metric, stats);
  // A latency computed over failed requests only says how fast errors come back: it is not
  // evidence that the endpoint is fast. It is still reported, but a 100% failure rate fails it.
  const allFailed = unit === 'ms' && stats.failures === stats.requests;
  return {
    metric,
    scope,
    limit: limit.text,
    actual,
    unit,
    status: withinLimit(actual, limit) && !allFailed ? 'pass' : 'fail',
    ...(allFailed ? { fact: { kind: 'all-failed' as const, requests: stats.requests } } : {}),
  };
}

/** Why the smoke stage failed: it did not run or complete, or the endpoint that failed most. */
function smokeFact(smoke: StageResult | undefined): GateHeadlineFact {
  if (!smoke) return { kind: 'smoke-missing' };
  if (smoke.status !== 'completed' && smoke.total.failures === 0) {
    return {
      kind: 'smoke-incomplete',
      status: smoke.status,
      ...(smoke.reason ? { reason: smoke.reason } : {}),
      ...(smoke.reasonFact ? { reasonFact: smoke.reasonFact } : {}),
    };
  }
  const worst = [...smoke.endpoints].sort((a, b) => b.failures - a.failures)[0];
  const error = worst?.errors[0];
  if (!worst || !error) {
    return {
      kind: 'smoke-failures',
      failures: smoke.total.failures,
      requests: smoke.total.requests,
    };
  }
  return {
    kind: 'smoke-endpoint',
    endpoint: worst.name,
    failures: worst.failures,
    requests: worst.requests,
    ...(error.status ? { status: error.status } : { error: error.message }),
  };
}
