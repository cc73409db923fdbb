import type { FailureReason } from '../gate/failure-reason.js';
import type { RunResult } from '../model/run-result.js';
import type { StackEvidence } from '../model/stack-evidence.js';
import type { Finding, GateResult, PlanItem, ThresholdResult, Verdict } from '../model/verdict.js';

export const SCHEMA_VERSION = 1;

/** The JSON report: the RunResult wrapped with the verdict, thresholds, findings and plan. */
export interface JsonReport {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: 'loadgate'; version: string };
  generatedAt: string;
  /** False when the run was cut short (stack not ready, crash, signal): results are partial. */
  complete: boolean;
  verdict: Verdict;
  /** Why it failed, for machines (absent when it passed): see FAILURE_REASONS. */
  reason?: FailureReason;
  headline: string;
  target: string;
  configDigest: string;
  /** The commit tested (GITHUB_SHA), so a later run can name its baseline. */
  commit?: string;
  /** The pull request it ran for, so a `mode: report` workflow knows where to post it. */
  pullRequest?: number;
  /** The baseline compared with, when there was one. */
  baseline?: { commit?: string; source: string; note?: string };
  /** Regressions that failed the gate. */
  regressions: number;
  /** Where it ran: the generator's figures only mean something next to these. */
  environment?: { cores: number; node: string };
  /** The error that ended the run early, if any. */
  error?: string;
  engine?: string;
  durationMs?: number;
  stages: RunResult['stages'];
  generator?: RunResult['generator'];
  thresholds: ThresholdResult[];
  findings: Finding[];
  plan: PlanItem[];
  stack?: StackEvidence;
  /** The scenario checked against the API's OpenAPI document, when one was found. */
  openapi?: RunResult['openapi'];
}

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
