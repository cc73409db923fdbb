import type { Finding, PlanItem, Priority } from '../model/verdict.js';
import type { DiagnoseInput } from './context.js';
import { RULES, type Rule } from './rules.js';

const PRIORITY_RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

export interface Diagnosis {
  /** Most probable cause first. */
  findings: Finding[];
  /** Every action of every finding, highest priority first, then in finding order. */
  plan: PlanItem[];
}

/** Runs every rule on the evidence and ranks what they found. Pure. */
export function diagnose(input: DiagnoseInput, rules: Rule[] = RULES): Diagnosis {
  const findings = rules
    .flatMap((rule, order) => rule(input).map((finding) => ({ finding, order })))
    .sort(
      (a, b) =>
        PRIORITY_RANK[a.finding.priority] - PRIORITY_RANK[b.finding.priority] ||
        b.finding.confidence - a.finding.confidence ||
        a.order - b.order,
    )
    .map(({ finding }) => finding);
  const plan = findings
    .flatMap((finding) =>
      finding.actions.map((action) => ({
        ...action,
        findingId: finding.id,
        problem: finding.title,
      })),
    )
    .sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority]);
  return { findings, plan };
}
