import type { Priority } from '../model/verdict.js';
import { sameWords, type FindingFacts, type PlanItemFacts } from '../report/finding-words/words.js';
import type { DiagnoseInput, Rule } from './context.js';
import { RULES } from './rules/index.js';

const PRIORITY_RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

/** What the rules found, before it is worded (`report/word-diagnosis.ts` says it). */
export interface Diagnosis {
  /** Most probable cause first. */
  findings: FindingFacts[];
  /** Each distinct action once, highest priority first, then in finding order. */
  plan: PlanItemFacts[];
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

  const plan: PlanItemFacts[] = [];
  for (const finding of findings) {
    for (const action of finding.actions) {
      const same = plan.find((item) => sameWords(item.text, action.text));
      if (same) {
        if (PRIORITY_RANK[action.priority] < PRIORITY_RANK[same.priority])
          same.priority = action.priority;
        continue;
      }
      plan.push({
        ...action,
        findingId: finding.id,
        problem: finding.evidence[0] ?? finding.title,
        cause: finding.title,
      });
    }
  }
  // stable: equal priorities keep the findings' order (most probable first)
  plan.sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority]);
  return { findings, plan };
}
