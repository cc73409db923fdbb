import { SCHEMA_VERSION, type JsonReport } from '../model/json-report.js';
import type { RunResult } from '../model/run-result.js';
import type { StackEvidence } from '../model/stack-evidence.js';
import type { FailureReason, Finding, GateResult, PlanItem, Verdict } from '../model/verdict.js';

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
}

/** Builds the JSON report from plain data. Pure; redaction is applied by the caller. */
export function buildJsonReport(input: ReportInput): JsonReport {
  const verdict: Verdict = input.gate?.verdict ?? 'fail';
  const headline = input.gate?.headline ?? input.error ?? 'The run did not complete';
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'loadgate', version: input.version },
    generatedAt: input.generatedAt.toISOString(),
    complete: input.error === undefined && input.result !== undefined,
    verdict,
    ...(input.reason ? { reason: input.reason } : {}),
    headline: input.error && input.gate ? `${input.gate.headline} (${input.error})` : headline,
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
    stages: input.result?.stages ?? [],
    ...(input.result ? { generator: input.result.generator } : {}),
    thresholds: input.gate?.thresholds ?? [],
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
  return report.error && !report.headline.includes(report.error) ? report.error : undefined;
}
