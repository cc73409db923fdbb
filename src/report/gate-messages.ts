import { formatDuration } from '../config/duration.js';
import type { StageReasonFact, StageResult } from '../model/run-result.js';
import type {
  BaselineRef,
  GateHeadlineFact,
  ThresholdCheck,
  ThresholdFact,
  ThresholdMetric,
  ThresholdResult,
  ThresholdStatus,
} from '../model/verdict.js';
import { ofTotal } from './format-values.js';
import { messages, type Locale } from './messages.js';
import { stopText } from './run-error-messages.js';

/**
 * The words for what the gate and the stage runners return as facts, in each locale (en, fr): a
 * threshold's status, limit, note and one-line description, the gate's headline, and why a
 * stage was skipped or stopped. The JSON report's texts are worded with it too, so each sentence
 * is written once. Pure.
 */

const STATUS: Record<Locale, Record<ThresholdStatus, string>> = {
  en: { pass: 'pass', fail: 'fail', error: 'error', inconclusive: 'inconclusive' },
  fr: { pass: 'réussi', fail: 'échec', error: 'erreur', inconclusive: 'non concluant' },
};

/** A threshold's status as a table cell says it: `pass`, `échec`. */
export function thresholdStatus(status: ThresholdStatus, locale: Locale): string {
  return STATUS[locale][status];
}

/** A threshold's limit: as written in the config, or a regression limit worded in the locale. */
export function thresholdLimit(th: ThresholdCheck, locale: Locale): string {
  return th.regressionLimit
    ? regressionLimitText(th.metric, th.regressionLimit, locale)
    : (th.limit ?? '');
}

/** A threshold as the JSON report holds it: the gate's facts with its limit and note worded. */
export function wordThreshold(th: ThresholdCheck, locale: Locale): ThresholdResult {
  return {
    ...th,
    limit: thresholdLimit(th, locale),
    ...(th.fact ? { note: thresholdFactText(th.fact, th.scope, locale) } : {}),
  };
}

/** `+15% and +5ms` (p95), `+15% et +0.5 points` (failure rate, in percentage points). */
export function regressionLimitText(
  metric: ThresholdMetric,
  limit: { relativePercent: number; absolute: number },
  locale: Locale,
): string {
  const absolute = metric === 'failure-rate' ? `${limit.absolute} points` : `${limit.absolute}ms`;
  return `+${limit.relativePercent}% ${locale === 'fr' ? 'et' : 'and'} +${absolute}`;
}

/** Why a threshold has its status, in the locale; a note without facts is shown as written. */
export function thresholdNote(
  th: ThresholdCheck & { note?: string | undefined },
  locale: Locale,
): string | undefined {
  return th.fact ? thresholdFactText(th.fact, th.scope, locale) : th.note;
}

export function thresholdFactText(fact: ThresholdFact, scope: string, locale: Locale): string {
  const fr = locale === 'fr';
  switch (fact.kind) {
    case 'no-requests':
      if (scope === 'global') return fr ? 'aucune requête envoyée' : 'no requests were made';
      return fr
        ? `aucune requête vers ${scope} : vérifier le nom de l’endpoint`
        : `no requests to ${scope} were made: check the endpoint name`;
    case 'all-failed':
      return fr
        ? 'toutes les requêtes ont échoué : cette latence est le temps d’obtenir une erreur'
        : 'every request failed: this latency is the time to get an error';
    case 'no-distribution':
      return fr
        ? 'pas de distribution des latences d’un côté : impossible de distinguer une régression du bruit'
        : 'no latency distribution on one side: cannot tell a regression from noise';
    case 'p95-interval':
      if (fact.confirmed) {
        return fr
          ? `intervalle à 95 % de la différence : +${fact.low} à +${fact.high} ms`
          : `95% interval of the difference: +${fact.low} to +${fact.high} ms`;
      }
      return fr
        ? `intervalle à 95 % de la différence : ${fact.low} à +${fact.high} ms, qui inclut des changements sous la limite : une montée en charge plus longue (plus de requêtes) trancherait`
        : `95% interval of the difference: ${fact.low} to +${fact.high} ms, which includes changes under the limit: a longer ramp (more requests) would settle it`;
    case 'z-test':
      if (fact.significant) {
        return fr ? `significatif (z = ${fact.z})` : `significant (z = ${fact.z})`;
      }
      return fr
        ? `non significatif avec ces nombres de requêtes (z = ${fact.z}) : une montée en charge plus longue trancherait`
        : `not significant with these request counts (z = ${fact.z}): a longer ramp would settle it`;
  }
}

/** A threshold in one line, as headlines list them: `p95 of GET /items 750ms (limit < 500ms)`. */
export function describeThreshold(th: ThresholdCheck, locale: Locale): string {
  const fr = locale === 'fr';
  const scope = th.scope === 'global' ? '' : fr ? ` de ${th.scope}` : ` of ${th.scope}`;
  const limit = `(${fr ? 'limite' : 'limit'} ${thresholdLimit(th, locale)})`;
  if (th.kind === 'regression') {
    const change = `${th.baseline}${th.unit} → ${th.actual}${th.unit}`;
    return fr
      ? `${th.metric}${scope} en régression : ${change} ${limit}`
      : `${th.metric}${scope} regressed ${change} ${limit}`;
  }
  const stage = th.stage ? ` (${th.stage})` : '';
  const actual = th.actual === null ? messages(locale).notAvailable : `${th.actual}${th.unit}`;
  return `${th.metric}${scope}${stage} ${actual} ${limit}`;
}

/** Why a stage was skipped, aborted or failed, in the locale; an engine's reason as written. */
export function stageReason(stage: StageResult, locale: Locale): string | undefined {
  return stage.reasonFact ? stageReasonText(stage.reasonFact, locale) : stage.reason;
}

/**
 * What the reader should know about how a stage ran, in the locale: the data rows ran out, the
 * distributed workers and the generator's processes; a remark written by an earlier version.
 */
export function stageNotes(stage: StageResult, locale: Locale): string[] {
  const fr = locale === 'fr';
  const notes: string[] = [];
  if (stage.dataExhausted) {
    notes.push(
      fr
        ? '`scenario.data` n’avait plus de lignes : plus aucun utilisateur n’a été démarré (`when-exhausted: stop`)'
        : '`scenario.data` ran out of rows: no more users were started (`when-exhausted: stop`)',
    );
  }
  const workers = stage.workers ?? [];
  if (workers.length > 0) {
    const each = workers
      .map((w) =>
        fr
          ? `${w.id} : ${w.users} ${w.users > 1 ? 'utilisateurs' : 'utilisateur'}, ${w.requests} ${w.requests > 1 ? 'requêtes' : 'requête'}`
          : `${w.id}: ${w.users} ${w.users === 1 ? 'user' : 'users'}, ${w.requests} ${w.requests === 1 ? 'request' : 'requests'}`,
      )
      .join(fr ? ' ; ' : '; ');
    const n = workers.length;
    notes.push(
      fr
        ? `distribué : ${n} ${n > 1 ? 'workers' : 'worker'} (${each})`
        : `distributed: ${n} ${n > 1 ? 'workers' : 'worker'} (${each})`,
    );
  }
  const processes = stage.generatorProcesses ?? [];
  if (processes.length > 0) {
    const each = processes.map((p) => `${p.process} ${p.cpuPercent}%`).join(', ');
    notes.push(fr ? `CPU du générateur : ${each}` : `generator CPU: ${each}`);
  }
  if (stage.note) notes.push(stage.note);
  return notes;
}

/**
 * A remark on the baseline, in the locale: that the base commit had no report and the newest
 * run on the default branch stands in for it; or a remark written by an earlier version.
 */
export function baselineNote(baseline: BaselineRef, locale: Locale): string | undefined {
  const s = baseline.substitute;
  if (!s) return baseline.note;
  const base = s.baseCommit.slice(0, 7);
  const commit = baseline.commit?.slice(0, 7) ?? baseline.source;
  return locale === 'fr'
    ? `le commit de base ${base} n’a pas d’artefact \`${s.artifact}\` : c’est le dernier run réussi sur ${s.branch}, ${commit}`
    : `the base commit ${base} has no \`${s.artifact}\` artifact: this is the newest successful run on ${s.branch}, ${commit}`;
}

/** A stage as the JSON report holds it: a reason given as facts is worded in `reason`. */
export function wordStage(stage: StageResult, locale: Locale): StageResult {
  if (!stage.reasonFact || stage.reason !== undefined) return stage;
  const { name, status, ...rest } = stage;
  return { name, status, reason: stageReasonText(stage.reasonFact, locale), ...rest };
}

export function stageReasonText(fact: StageReasonFact, locale: Locale): string {
  const fr = locale === 'fr';
  if (fact.kind === 'stopped-before-ramp') {
    return fr ? 'le test a été arrêté avant l’étape ramp' : 'the run was stopped before the ramp';
  }
  if (fact.kind === 'stopped') return stopText(fact.stop, locale);
  if (fact.kind === 'max-failures') {
    return fr
      ? `arrêtée après ${fact.failures} échecs (stages.ramp.max-failures : ${fact.limit})`
      : `stopped after ${fact.failures} failures (stages.ramp.max-failures: ${fact.limit})`;
  }
  if (fact.kind === 'abort-on-fail') {
    const after = formatDuration(fact.elapsedMs);
    const breach = `${fact.metric} ${fact.actual}${fact.unit}`;
    return fr
      ? `arrêtée par thresholds.abort-on-fail après ${after} : ${breach} dépasse ${fact.limit} (${fact.requests} requêtes jusque-là)`
      : `aborted by thresholds.abort-on-fail after ${after}: ${breach} breaks ${fact.limit} (${fact.requests} requests so far)`;
  }
  const first =
    fact.firstError ??
    (fr ? 'l’étape smoke ne s’est pas terminée' : 'the smoke stage did not complete');
  return fr
    ? `échec de l’étape smoke (${fact.failures} ${fact.failures > 1 ? 'requêtes' : 'requête'} sur ${fact.requests} en échec ; première erreur : ${first}), l’étape ramp n’a donc pas tourné`
    : `smoke stage failed (${ofTotal(fact.failures, fact.requests)} failed; first error: ${first}), so the ramp was not run`;
}

/** The gate's headline: one sentence saying what decided the verdict. */
export function gateHeadline(fact: GateHeadlineFact, locale: Locale): string {
  const fr = locale === 'fr';
  const list = (ths: ThresholdCheck[]) =>
    ths.map((th) => describeThreshold(th, locale)).join(fr ? ' ; ' : '; ');
  switch (fact.kind) {
    case 'smoke-missing':
      return fr ? 'L’étape smoke n’a pas tourné' : 'Smoke stage did not run';
    case 'smoke-incomplete': {
      const status = messages(locale)[fact.status];
      const reason =
        (fact.reasonFact ? stageReasonText(fact.reasonFact, locale) : fact.reason) ??
        (fr ? 'sans raison connue' : 'no reason given');
      return fr ? `Étape smoke ${status} : ${reason}` : `Smoke stage ${status}: ${reason}`;
    }
    case 'smoke-failures':
      return fr
        ? `Échec de l’étape smoke : ${fact.failures} requêtes sur ${fact.requests} en échec`
        : `Smoke stage failed: ${ofTotal(fact.failures, fact.requests)} failed`;
    case 'smoke-endpoint': {
      const every =
        fact.failures === fact.requests
          ? fr
            ? 'pour chaque requête'
            : 'for every request'
          : fr
            ? `pour ${fact.failures} requêtes sur ${fact.requests}`
            : `for ${ofTotal(fact.failures, fact.requests)}`;
      const what = fact.status
        ? fr
          ? `a répondu ${fact.status}`
          : `returned ${fact.status}`
        : fr
          ? `a échoué : ${fact.error}`
          : `failed with ${fact.error}`;
      return fr
        ? `Échec de l’étape smoke : ${fact.endpoint} ${what} ${every}`
        : `Smoke stage failed: ${fact.endpoint} ${what} ${every}`;
    }
    case 'ramp-aborted': {
      const reason = fact.reasonFact ? stageReasonText(fact.reasonFact, locale) : fact.reason;
      return fr
        ? `Étape ramp interrompue : ${reason ?? 'le test a été arrêté'}`
        : `Ramp stage aborted: ${reason ?? 'the run was stopped'}`;
    }
    case 'checks-failed':
      return fr
        ? `${fact.failed.length} contrôle(s) sur ${fact.checks} en échec : ${list(fact.failed)}`
        : `${fact.failed.length} of ${fact.checks} checks failed: ${list(fact.failed)}`;
    case 'unconfirmed-regression':
      return fr
        ? `Régression possible, non confirmée par les données : ${list(fact.unsure)}`
        : `Possible regression, not confirmed by the data: ${list(fact.unsure)}`;
    case 'passed': {
      const note =
        fact.against !== undefined
          ? fr
            ? `, aucune régression par rapport à ${fact.against}`
            : `, no regression against ${fact.against}`
          : fr
            ? ' (pas de référence : régressions non vérifiées)'
            : ' (no baseline: regressions not checked)';
      return (
        (fr ? `Les ${fact.checks} seuils sont respectés` : `All ${fact.checks} thresholds passed`) +
        note
      );
    }
  }
}
