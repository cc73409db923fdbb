import { SCHEMA_VERSION, type JsonReport, type RunErrorFact } from '../model/json-report.js';
import type { RunResult } from '../model/run-result.js';
import type { StackEvidence } from '../model/stack-evidence.js';
import type { FailureReason, Finding, GateResult, PlanItem, Verdict } from '../model/verdict.js';
import { gateHeadline, wordStage, wordThreshold } from './gate-messages.js';
import { messages, type Locale } from './messages.js';
import { runErrorText } from './run-error-messages.js';

export { SCHEMA_VERSION, type JsonReport } from '../model/json-report.js';

export interface ReportInput {
  version: string;
  generatedAt: Date;
  target: string;
  configDigest: string;
  commit?: string;
  pullRequest?: number;
  environment?: { cores: number; node: string };
  result?: RunResult;
  gate?: GateResult;
  stack?: StackEvidence;
  findings: Finding[];
  plan: PlanItem[];
  /** Set when the run ended early; the verdict is then `fail` unless a gate was computed. */
  error?: string;
  /** The same as facts, when known: the headline words it in `locale`. */
  errorFact?: RunErrorFact;
  reason?: FailureReason;
  /** The language of the gate's texts (`headline`, a threshold's `limit` and `note`); `en`. */
  locale?: Locale;
}

/**
 * Builds the JSON report from plain data: the gate's and the stages' facts are worded here, the
 * gate's in `locale`, a stage's `reason` in English. Pure; redaction is applied by the caller.
 */
export function buildJsonReport(input: ReportInput): JsonReport {
  const locale = input.locale ?? 'en';
  const verdict: Verdict = input.gate?.verdict ?? 'fail';
  const gateSays = input.gate && gateHeadline(input.gate.headlineFact, locale);
  // the error in the report's language when its facts are known (the JSON `error` is English)
  const errorSays = input.errorFact ? runErrorText(input.errorFact, locale) : input.error;
  const headline = gateSays
    ? `${gateSays}${errorSays ? ` (${errorSays})` : ''}`
    : (errorSays ?? messages(locale).runIncomplete);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'loadgate', version: input.version },
    generatedAt: input.generatedAt.toISOString(),
    complete: input.error === undefined && input.result !== undefined,
    verdict,
    ...(input.reason ? { reason: input.reason } : {}),
    headline,
    target: input.target,
    configDigest: input.configDigest,
    ...(input.commit ? { commit: input.commit } : {}),
    ...(input.pullRequest ? { pullRequest: input.pullRequest } : {}),
    ...(input.gate?.baseline ? { baseline: input.gate.baseline } : {}),
    regressions: input.gate?.regressions ?? 0,
    ...(input.gate?.excludeRampUp ? { excludeRampUp: true as const } : {}),
    ...(input.environment ? { environment: input.environment } : {}),
    ...(input.error !== undefined ? { error: input.error } : {}),
    ...(input.errorFact ? { errorFact: input.errorFact } : {}),
    ...(input.result ? { engine: input.result.engine, durationMs: input.result.durationMs } : {}),
    stages: (input.result?.stages ?? []).map((stage) => wordStage(stage, 'en')),
    ...(input.result ? { generator: input.result.generator } : {}),
    thresholds: (input.gate?.thresholds ?? []).map((th) => wordThreshold(th, locale)),
    findings: input.findings,
    plan: input.plan,
    ...(input.stack ? { stack: input.stack } : {}),
    ...(input.result?.openapi ? { openapi: input.result.openapi } : {}),
    ...(input.result?.probes?.length ? { probes: input.result.probes } : {}),
  };
}

/**
 * The error that ended the run, when the headline does not already say it (it does when the run
 * stopped before a verdict: the error is the headline), so a report prints it once.
 */
export function errorBesidesHeadline(report: JsonReport): string | undefined {
  // worded from its facts, the error is in the headline in the report's language
  if (!report.error || report.errorFact || report.headline.includes(report.error)) return undefined;
  return report.error;
}
