/** What the gate, diagnosis and report exchange; plain data. */

export type Verdict = 'pass' | 'fail' | 'inconclusive';

export type ThresholdMetric = 'failure-rate' | 'p95';
export type ThresholdStatus = 'pass' | 'fail' | 'error';

export interface ThresholdResult {
  metric: ThresholdMetric;
  /** "global", or the endpoint name ("POST /token"). */
  scope: string;
  /** As written in the config: "< 1%". */
  limit: string;
  /** Measured value in `unit`, or null when it could not be evaluated. */
  actual: number | null;
  unit: '%' | 'ms';
  status: ThresholdStatus;
  /** Why an `error` status could not be evaluated. */
  note?: string;
}

export interface GateResult {
  verdict: Verdict;
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
  problem: string;
}
