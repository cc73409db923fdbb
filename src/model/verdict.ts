/** What the gate, diagnosis and report exchange; plain data. */

export type Verdict = 'pass' | 'fail' | 'inconclusive';

export type ThresholdMetric =
  'failure-rate' | 'p50' | 'p90' | 'p95' | 'p99' | 'mean' | 'max' | 'rps';
export type ThresholdStatus = 'pass' | 'fail' | 'error' | 'inconclusive';

export interface ThresholdResult {
  /** A fixed limit, or a comparison with the baseline. Absent means `limit`. */
  kind?: 'limit' | 'regression';
  metric: ThresholdMetric;
  /** "global", or the endpoint name ("POST /token"). */
  scope: string;
  /** The stage it was evaluated on, when the threshold is per stage. */
  stage?: 'smoke' | 'ramp';
  /** As written in the config ("< 1%"), or the regression limit ("+15% and +5ms"). */
  limit: string;
  /** Measured value in `unit`, or null when it could not be evaluated. */
  actual: number | null;
  unit: '%' | 'ms' | '/s';
  status: ThresholdStatus;
  /** The baseline's value, and actual − baseline, when a baseline was compared. */
  baseline?: number;
  delta?: number;
  /** Why a status is `error` or `inconclusive`, or the evidence behind a regression. */
  note?: string;
}

export interface GateResult {
  verdict: Verdict;
  /** Regressions that fail the gate (outputs: `regressions`). */
  regressions: number;
  /** Set when a baseline was compared. */
  baseline?: { commit?: string; source: string; note?: string };
  /** One sentence: what decided the verdict. */
  headline: string;
  smokeFailed: boolean;
  thresholds: ThresholdResult[];
}

export type Priority = 'high' | 'medium' | 'low';

export interface Action {
  text: string;
  priority: Priority;
  /** Rough effort estimate, e.g. "5 min", "1 h". */
  effort: string;
}

export interface Finding {
  /** Stable id from DESIGN.md (e.g. "auth.request-format"); never renamed. */
  id: string;
  title: string;
  /** 0..1: how sure the rule is that this is the cause. */
  confidence: number;
  priority: Priority;
  /** Facts that support the finding: numbers, statuses, body excerpts, log lines. */
  evidence: string[];
  actions: Action[];
}

export interface PlanItem extends Action {
  findingId: string;
  /** What was observed (the finding's first evidence). */
  problem: string;
  /** Why, as the finding says (its title). */
  cause: string;
}
