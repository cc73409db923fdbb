import { z } from 'zod';
import { count, num, text, token } from './json-values.js';
import { stageNameSchema, stageReasonFactSchema, stageStatusSchema } from './run-result.js';

/** What the gate, diagnosis and report exchange; plain data. */

export const verdictSchema = z.enum(['pass', 'fail', 'inconclusive']);
export type Verdict = z.infer<typeof verdictSchema>;

export const thresholdMetricSchema = z.enum([
  'failure-rate',
  'p50',
  'p90',
  'p95',
  'p99',
  'mean',
  'max',
  'rps',
]);
export type ThresholdMetric = z.infer<typeof thresholdMetricSchema>;
export const thresholdStatusSchema = z.enum(['pass', 'fail', 'error', 'inconclusive']);
export type ThresholdStatus = z.infer<typeof thresholdStatusSchema>;

/**
 * Why a threshold has its status, as facts (the report words them in its language):
 * no requests to judge, every request failed (a latency of errors), no latency distribution to
 * compare, the bootstrap interval of a p95 difference, a two-proportion z-test.
 */
export const thresholdFactSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('no-requests') }),
  z.object({ kind: z.literal('all-failed'), requests: count }),
  z.object({ kind: z.literal('no-distribution') }),
  z.object({ kind: z.literal('p95-interval'), low: num, high: num, confirmed: z.boolean() }),
  z.object({ kind: z.literal('z-test'), z: num, significant: z.boolean() }),
]);
export type ThresholdFact = z.infer<typeof thresholdFactSchema>;

export const thresholdResultSchema = z.object({
  /** A fixed limit, or a comparison with the baseline. Absent means `limit`. */
  kind: z.enum(['limit', 'regression']).optional(),
  metric: thresholdMetricSchema,
  /** "global", or the endpoint name ("POST /token"). */
  scope: text,
  /** The stage it was evaluated on, when the threshold is per stage. */
  stage: stageNameSchema.optional(),
  /** As written in the config ("< 1%"), or the regression limit ("+15% and +5ms"). */
  limit: text,
  /** A regression limit as numbers: +relative % and +absolute (ms for p95, points for a rate). */
  regressionLimit: z.object({ relativePercent: num, absolute: num }).optional(),
  /** Measured value in `unit`, or null when it could not be evaluated. */
  actual: num.nullable(),
  unit: z.enum(['%', 'ms', '/s']),
  status: thresholdStatusSchema,
  /** The baseline's value, and actual − baseline, when a baseline was compared. */
  baseline: num.optional(),
  delta: num.optional(),
  /** Why a status is `error` or `inconclusive`, or the evidence behind a regression. */
  note: text.optional(),
  /** The same as facts: the report words them in its language (`note` is the run's wording). */
  fact: thresholdFactSchema.optional(),
});
export type ThresholdResult = z.infer<typeof thresholdResultSchema>;

/**
 * The base commit had no report artifact, so the newest successful run on the default branch
 * stands in for it (the report says so).
 */
export const baselineSubstituteSchema = z.object({
  baseCommit: token(/^[0-9a-f]{40}$/i),
  artifact: text,
  branch: text,
});
export type BaselineSubstitute = z.infer<typeof baselineSubstituteSchema>;

/** The baseline compared with: an earlier report's commit, where it came from, a remark. */
export const baselineRefSchema = z.object({
  commit: token(/^[0-9a-f]{40}$/i).optional(),
  source: text,
  /** A remark written by an earlier version; the report words `substitute` itself. */
  note: text.optional(),
  substitute: baselineSubstituteSchema.optional(),
});
export type BaselineRef = z.infer<typeof baselineRefSchema>;

/**
 * A threshold as the gate returns it: facts only. `limit` is the config's text for a fixed limit
 * and absent for a regression (`regressionLimit`); the report words the limit and the note.
 */
export const thresholdCheckSchema = thresholdResultSchema
  .omit({ limit: true, note: true })
  .extend({ limit: text.optional() });
export type ThresholdCheck = z.infer<typeof thresholdCheckSchema>;

/** What decided the gate's verdict, as the gate found it (the report words it as a headline). */
export const gateHeadlineFactSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('smoke-missing') }),
  z.object({
    kind: z.literal('smoke-incomplete'),
    status: stageStatusSchema,
    reason: text.optional(),
    reasonFact: stageReasonFactSchema.optional(),
  }),
  z.object({ kind: z.literal('smoke-failures'), failures: count, requests: count }),
  z.object({
    kind: z.literal('smoke-endpoint'),
    endpoint: text,
    failures: count,
    requests: count,
    status: num.optional(),
    error: text.optional(),
  }),
  z.object({
    kind: z.literal('ramp-aborted'),
    reason: text.optional(),
    reasonFact: stageReasonFactSchema.optional(),
  }),
  z.object({
    kind: z.literal('checks-failed'),
    failed: z.array(thresholdCheckSchema).max(1000),
    checks: count,
  }),
  z.object({
    kind: z.literal('unconfirmed-regression'),
    unsure: z.array(thresholdCheckSchema).max(1000),
  }),
  z.object({ kind: z.literal('passed'), checks: count, against: text.optional() }),
]);
export type GateHeadlineFact = z.infer<typeof gateHeadlineFactSchema>;

/** The gate's result: facts only; the JSON report words them (`headline`, `limit`, `note`). */
export const gateResultSchema = z.object({
  verdict: verdictSchema,
  /** Regressions that fail the gate (outputs: `regressions`). */
  regressions: z.number().int().nonnegative(),
  /** Set when a baseline was compared. */
  baseline: baselineRefSchema.optional(),
  /** What decided the verdict (the report's `headline` says it in one sentence). */
  headlineFact: gateHeadlineFactSchema,
  smokeFailed: z.boolean(),
  thresholds: z.array(thresholdCheckSchema).max(1000),
  /** Set when `thresholds.exclude-ramp-up` was on: the ramp was judged on its hold period. */
  excludeRampUp: z.literal(true).optional(),
});
export type GateResult = z.infer<typeof gateResultSchema>;

export const prioritySchema = z.enum(['high', 'medium', 'low']);
export type Priority = z.infer<typeof prioritySchema>;

export const actionSchema = z.object({
  text,
  priority: prioritySchema,
  /** Rough effort estimate, e.g. "5 min", "1 h". */
  effort: text,
});
export type Action = z.infer<typeof actionSchema>;

/** A finding's or a plan item's id: "auth.request-format". */
const findingId = token(/^[a-z][\w.-]*$/);

export const findingSchema = z.object({
  /** Stable id from DESIGN.md (e.g. "auth.request-format"); never renamed. */
  id: findingId,
  title: text,
  /** 0..1: how sure the rule is that this is the cause. */
  confidence: num,
  priority: prioritySchema,
  /** Facts that support the finding: numbers, statuses, body excerpts, log lines. */
  evidence: z.array(text).max(1000),
  actions: z.array(actionSchema).max(100),
});
export type Finding = z.infer<typeof findingSchema>;

export const planItemSchema = actionSchema.extend({
  findingId,
  /** What was observed (the finding's first evidence). */
  problem: text,
  /** Why, as the finding says (its title). */
  cause: text,
});
export type PlanItem = z.infer<typeof planItemSchema>;

/** Why a run failed, for machines (the report's `reason`, the action's `reason` output). */
export const FAILURE_REASONS = [
  'config',
  'stack',
  'stopped',
  'smoke-failed',
  'thresholds',
  'regression',
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];
