import type { Priority } from '../../model/verdict.js';
import type { Locale } from '../messages.js';
import { FINDING_WORDS } from './catalog.js';

/**
 * A sentence of a finding before it is worded: which sentence of the catalog (`key`) and the
 * facts it is said from (`args`). The rules return these; the report words them in its locale,
 * so each sentence is written once per locale, in `report/finding-words/`.
 */
export type FindingWords = (typeof FINDING_WORDS)['en'];
export type WordKey = keyof FindingWords;
export type Words = {
  [K in WordKey]: { key: K; args: Parameters<FindingWords[K]>[0] };
}[WordKey];

/** The sentence `key` said from `facts`: `w('request.fields-missing.title', { … })`. */
export function w<K extends WordKey>(key: K, ...facts: Parameters<FindingWords[K]>): Words {
  return { key, args: facts[0] } as Words;
}

/** Data quoted as the API, the stack or the user wrote it (a log line, a body): no words. */
export function quote(text: string): Words {
  return w('quoted', { text });
}

/** The sentence in the locale. */
export function word(words: Words, locale: Locale): string {
  const say = FINDING_WORDS[locale][words.key] as (facts: unknown) => string;
  return say(words.args);
}

/** One key per sentence said, the same in every locale: equal actions are one plan item. */
export function sameWords(a: Words, b: Words): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** A corrective action before it is worded. */
export interface ActionFacts {
  text: Words;
  priority: Priority;
  effort: string;
}

/** A finding as a rule returns it: its id, how sure and how urgent, and what to say. */
export interface FindingFacts {
  /** Stable id from DESIGN.md (e.g. "auth.request-format"); never renamed. */
  id: string;
  title: Words;
  /** 0..1: how sure the rule is that this is the cause. */
  confidence: number;
  priority: Priority;
  /** Facts that support the finding: numbers, statuses, body excerpts, log lines. */
  evidence: Words[];
  actions: ActionFacts[];
}

/** An item of the action plan before it is worded. */
export interface PlanItemFacts extends ActionFacts {
  findingId: string;
  /** What was observed (the finding's first evidence). */
  problem: Words;
  /** Why, as the finding says (its title). */
  cause: Words;
}
