import { SCHEMA_VERSION, type JsonReport } from '../model/json-report.js';
import type { RunResult } from '../model/run-result.js';
import type { StackEvidence } from '../model/stack-evidence.js';
import type { FailureReason, Finding, GateResult, PlanItem, Verdict } from '../model/verdict.js';
import { gateHeadline, wordStage, wordThreshold } from './gate-messages.js';
import { messages, type Locale } from './messages.js';
import { stackHeadline } from './stack-messages.js';

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
  const headline =
    gateSays ??
    (input.stack && stackSaysError(input.stack, input.error)
      ? stackHeadline(input.stack.errorFact!, locale)
      : undefined) ??
    input.error ??
    messages(locale).runIncomplete;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'loadgate', version: input.version },
    generatedAt: input.generatedAt.toISOString(),
    complete: input.error === undefined && input.result !== undefined,
    verdict,
    ...(input.reason ? { reason: input.reason } : {}),
    headline: input.error && gateSays ? `${gateSays} (${input.error})` : headline,
    target: input.target,
    configDigest: input.configDigest,
    ...(input.commit ? { commit: input.commit } : {}),
    ...(input.pullRequest ? { pullRequest: input.pullRequest } : {}),
    ...(input.gate?.baseline ? { baseline: input.gate.baseline } : {}),
    regressions: input.gate?.regressions ?? 0,
    ...(input.gate?.excludeRampUp ? { excludeRampUp: true as const } : {}),
    ...(input.environment ? { environment: input.environment } : {}),
    ...(input.error !== undefined ? { error: input.error } : {}),
    ...(input.result ? { engine: input.result.engine, durationMs: input.result.durationMs } : {}),
    stages: (input.result?.stages ?? []).map((stage) => wordStage(stage, 'en')),
    ...(input.result ? { generator: input.result.generator } : {}),
    thresholds: (input.gate?.thresholds ?? []).map((th) => wordThreshold(th, locale)),
    findings: input.findings,
    plan: input.plan,
    ...(input.stack ? { stack: input.stack } : {}),
    ...(input.result?.openapi ? { openapi: input.result.openapi } : {}),
  };
}

/**
 * The error that ended the run, when the headline does not already say it (it does when the run
 * stopped before a verdict: the error is the headline), so a report prints it once.
 */
export function errorBesidesHeadline(report: JsonReport): string | undefined {
  if (!report.error || report.headline.includes(report.error)) return undefined;
  // the headline says the stack's error in the report's locale
  return report.stack && stackSaysError(report.stack, report.error) ? undefined : report.error;
}

/** True when the run's error is the stack's (not started, never ready), worded from its fact. */
function stackSaysError(stack: StackEvidence, error: string | undefined): boolean {
  return stack.errorFact !== undefined && error === stackHeadline(stack.errorFact, 'en');
}
