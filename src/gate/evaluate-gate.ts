import { METRICS, withinLimit, type Limit, type Metric } from '../config/limit.js';
import type { Config } from '../config/schema.js';
import type { EndpointStats, RunResult, StageResult } from '../model/run-result.js';
import type { GateResult, ThresholdResult } from '../model/verdict.js';
import { describeThreshold, thresholdNote } from '../report/gate-messages.js';
import { messages } from '../report/messages.js';
import { measuredView, metricValue, stageView } from './measured.js';
import { compareFailureRate, compareP95 } from './regression.js';

/** What a baseline contributes: the stages of an earlier JSON report, and where it came from. */
export interface Baseline {
  stages: StageResult[];
  commit?: string;
  /** "baseline.json", "artifact of run 123": said in the report. */
  source: string;
  /** Said next to it in the report, e.g. that it is not the base commit's own. */
  note?: string;
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
  locale: 'en' | 'fr' = 'en',
): GateResult {
  const say = (en: string, fr: string) => (locale === 'fr' ? fr : en);
  const smoke = result.stages.find((s) => s.name === 'smoke');
  const ramp = result.stages.find((s) => s.name === 'ramp');
  const smokeFailed = !smoke || smoke.status !== 'completed' || smoke.total.failures > 0;
  const measured = measuredView(result.stages, thresholds.excludeRampUp);

  const checks: ThresholdResult[] = [];
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

  const regressions: ThresholdResult[] = [];
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

  // the checks return facts; the JSON report keeps them worded in the run's language too
  const all = [...checks, ...regressions].map((c) =>
    c.fact ? { ...c, note: thresholdNote(c, locale) } : c,
  );
  const failedRegressions = regressions.filter((r) => r.status === 'fail').length;
  const describe = (t: ThresholdResult) => describeThreshold(t, locale);
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
            ...(baseline.note ? { note: baseline.note } : {}),
          },
        }
      : {}),
  };

  if (smokeFailed)
    return { verdict: 'fail', headline: smokeHeadline(smoke, locale, say), ...common };
  if (ramp?.status === 'aborted') {
    return {
      verdict: 'fail',
      headline: say(
        `Ramp stage aborted: ${ramp.reason ?? 'the run was stopped'}`,
        `Étape ramp interrompue : ${ramp.reason ?? 'le test a été arrêté'}`,
      ),
      ...common,
    };
  }
  const failed = all.filter((c) => c.status === 'fail' || c.status === 'error');
  if (failed.length > 0) {
    return {
      verdict: 'fail',
      headline: say(
        `${failed.length} of ${all.length} checks failed: ${failed.map(describe).join('; ')}`,
        `${failed.length} contrôle(s) sur ${all.length} en échec : ${failed.map(describe).join(' ; ')}`,
      ),
      ...common,
    };
  }
  const unsure = all.filter((r) => r.kind === 'regression' && r.status === 'inconclusive');
  if (unsure.length > 0) {
    return {
      verdict: 'inconclusive',
      headline: say(
        `Possible regression, not confirmed by the data: ${unsure.map(describe).join('; ')}`,
        `Régression possible, non confirmée par les données : ${unsure.map(describe).join(' ; ')}`,
      ),
      ...common,
    };
  }
  const against = baseline ? (baseline.commit ? baseline.commit.slice(0, 7) : baseline.source) : '';
  const note = baseline
    ? say(`, no regression against ${against}`, `, aucune régression par rapport à ${against}`)
    : say(
        ' (no baseline: regressions not checked)',
        ' (pas de référence : régressions non vérifiées)',
      );
  return {
    verdict: 'pass',
    headline:
      say(`All ${checks.length} thresholds passed`, `Les ${checks.length} seuils sont respectés`) +
      note,
    ...common,
  };
}

function limits(
  scope: string,
  set: Partial<Record<Metric, Limit>>,
  stats: EndpointStats | undefined,
): ThresholdResult[] {
  return (Object.entries(set) as [Metric, Limit][]).map(([metric, limit]) =>
    check(metric, scope, limit, stats),
  );
}

function check(
  metric: Metric,
  scope: string,
  limit: Limit,
  stats: EndpointStats | undefined,
): ThresholdResult {
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

function smokeHeadline(
  smoke: StageResult | undefined,
  locale: 'en' | 'fr',
  say: (en: string, fr: string) => string,
): string {
  if (!smoke) return say('Smoke stage did not run', 'L’étape smoke n’a pas tourné');
  if (smoke.status !== 'completed' && smoke.total.failures === 0) {
    const reason = smoke.reason ?? say('no reason given', 'sans raison connue');
    const status = messages(locale)[smoke.status];
    return say(`Smoke stage ${status}: ${reason}`, `Étape smoke ${status} : ${reason}`);
  }
  const worst = [...smoke.endpoints].sort((a, b) => b.failures - a.failures)[0];
  const error = worst?.errors[0];
  if (!worst || !error) {
    return say(
      `Smoke stage failed: ${smoke.total.failures} of ${smoke.total.requests} requests failed`,
      `Échec de l’étape smoke : ${smoke.total.failures} requêtes sur ${smoke.total.requests} en échec`,
    );
  }
  const all = worst.failures === worst.requests;
  const every = all
    ? say('for every request', 'pour chaque requête')
    : say(
        `for ${worst.failures} of ${worst.requests} requests`,
        `pour ${worst.failures} requêtes sur ${worst.requests}`,
      );
  const what = error.status
    ? say(`returned ${error.status}`, `a répondu ${error.status}`)
    : say(`failed with ${error.message}`, `a échoué : ${error.message}`);
  return say(
    `Smoke stage failed: ${worst.name} ${what} ${every}`,
    `Échec de l’étape smoke : ${worst.name} ${what} ${every}`,
  );
}
