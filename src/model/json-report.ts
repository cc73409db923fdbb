import { z } from 'zod';
import { openApiEvidenceSchema } from './openapi-evidence.js';
import { count, num, text, token } from './json-values.js';
import {
  generatorStatsSchema,
  probeOutcomeSchema,
  stageResultSchema,
  stopFactSchema,
} from './run-result.js';
import { stackErrorFactSchema, stackEvidenceSchema } from './stack-evidence.js';
import {
  baselineRefSchema,
  findingSchema,
  planItemSchema,
  thresholdResultSchema,
  verdictSchema,
  FAILURE_REASONS,
} from './verdict.js';

export const SCHEMA_VERSION = 1;

/** Why the run ended early, as facts: the stack never became usable, or the run was stopped. */
export const runErrorFactSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stack'), fact: stackErrorFactSchema }),
  z.object({ kind: z.literal('stopped'), stop: stopFactSchema }),
]);
export type RunErrorFact = z.infer<typeof runErrorFactSchema>;

/**
 * The JSON report: the RunResult wrapped with the verdict, thresholds, findings and plan. The one
 * definition of its shape: the writer's type, and the check of a report read back (a baseline,
 * `mode: report`). Unknown keys are dropped when one is read.
 */
export const jsonReportSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.object({ name: z.literal('loadgate'), version: token(/^[\w.+-]+$/) }),
  generatedAt: text,
  /** False when the run was cut short (stack not ready, crash, signal): results are partial. */
  complete: z.boolean(),
  verdict: verdictSchema,
  /** Why it failed, for machines (absent when it passed): see FAILURE_REASONS. */
  reason: z.enum(FAILURE_REASONS).optional(),
  headline: text,
  target: text,
  configDigest: token(/^[\w:-]*$/),
  /** The commit tested (GITHUB_SHA), so a later run can name its baseline. */
  commit: token(/^[0-9a-f]{40}$/i).optional(),
  /** The pull request it ran for, so a `mode: report` workflow knows where to post it. */
  pullRequest: z.number().int().positive().optional(),
  /** The baseline compared with, when there was one. */
  baseline: baselineRefSchema.optional(),
  /** Regressions that failed the gate. */
  regressions: count,
  /** Set when `thresholds.exclude-ramp-up` was on: the ramp was judged on its hold period. */
  excludeRampUp: z.literal(true).optional(),
  /** Where it ran: the generator's figures only mean something next to these. */
  environment: z.object({ cores: count, node: token(/^v?[\d.]+$/) }).optional(),
  /** The error that ended the run early, if any (English, as logged). */
  error: text.optional(),
  /** The same as facts, when known: the headline words it in the report's language. */
  errorFact: runErrorFactSchema.optional(),
  engine: token(/^[\w-]+$/).optional(),
  durationMs: num.optional(),
  stages: z.array(stageResultSchema).max(2),
  generator: generatorStatsSchema.optional(),
  thresholds: z.array(thresholdResultSchema).max(1000),
  findings: z.array(findingSchema).max(100),
  plan: z.array(planItemSchema).max(100),
  stack: stackEvidenceSchema.optional(),
  /** The scenario checked against the API's OpenAPI document, when one was found. */
  openapi: openApiEvidenceSchema.optional(),
  /** Refused requests re-sent to confirm a cause (`diagnose.probes`), with what they got. */
  probes: z.array(probeOutcomeSchema).max(10).optional(),
});
export type JsonReport = z.infer<typeof jsonReportSchema>;
