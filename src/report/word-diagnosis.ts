import type { Finding, PlanItem } from '../model/verdict.js';
import { word, type FindingFacts, type PlanItemFacts } from './finding-words/words.js';
import type { Locale } from './messages.js';

/** The findings and the plan as the report says them, in its locale. Pure. */
export function wordDiagnosis(
  diagnosis: { findings: FindingFacts[]; plan: PlanItemFacts[] },
  locale: Locale,
): { findings: Finding[]; plan: PlanItem[] } {
  return {
    findings: diagnosis.findings.map((f) => ({
      id: f.id,
      title: word(f.title, locale),
      confidence: f.confidence,
      priority: f.priority,
      evidence: f.evidence.map((e) => word(e, locale)),
      actions: f.actions.map((a) => ({ ...a, text: word(a.text, locale) })),
    })),
    plan: diagnosis.plan.map((item) => ({
      ...item,
      text: word(item.text, locale),
      problem: word(item.problem, locale),
      cause: word(item.cause, locale),
    })),
  };
}
