import { describe, expect, it } from 'vitest';
import { FAMILIES, FINDING_WORDS } from '../../src/report/finding-words/catalog.js';
import type { FindingWords, WordKey } from '../../src/report/finding-words/words.js';
import type { Locale } from '../../src/report/messages.js';
import { english } from '../support/english.js';
import type { Samples } from '../support/word-samples.js';
import { AUTH_SAMPLES } from './finding-words/auth.samples.js';
import { CAPACITY_SAMPLES } from './finding-words/capacity.samples.js';
import { COMMON_SAMPLES } from './finding-words/common.samples.js';
import { HTTP_SAMPLES } from './finding-words/http.samples.js';
import { OPENAPI_SAMPLES } from './finding-words/openapi.samples.js';
import { PROXY_SAMPLES } from './finding-words/proxy.samples.js';
import { REGRESSION_SAMPLES } from './finding-words/regression.samples.js';
import { REQUEST_SAMPLES } from './finding-words/request.samples.js';
import { STACK_SAMPLES } from './finding-words/stack.samples.js';

/** Facts for every sentence the diagnosis can say: the type fails when one has none. */
const SAMPLES: Samples<FindingWords> = {
  ...COMMON_SAMPLES,
  ...AUTH_SAMPLES,
  ...REQUEST_SAMPLES,
  ...HTTP_SAMPLES,
  ...PROXY_SAMPLES,
  ...CAPACITY_SAMPLES,
  ...REGRESSION_SAMPLES,
  ...OPENAPI_SAMPLES,
  ...STACK_SAMPLES,
};

/** Every sentence said from each of its samples, in the locale. */
function said(key: WordKey, locale: Locale): string[] {
  const say = FINDING_WORDS[locale][key] as (facts?: unknown) => string;
  const samples: unknown[] = SAMPLES[key];
  return samples.length ? samples.map((facts) => say(facts)) : [say()];
}

/** The strings among the facts: data (names, bodies, log lines) quoted as written. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** The sentence without its data and code spans: what is left is the catalog's words. */
function words(text: string, facts: unknown): string {
  let out = text.replace(/`[^`\n]*`/g, ' ');
  for (const data of strings(facts).sort((a, b) => b.length - a.length)) {
    if (data.length > 1) out = out.split(data).join(' ');
  }
  return out;
}

const KEYS = Object.keys(SAMPLES) as WordKey[];

describe('the diagnosis’ sentences', () => {
  it('each sentence is written once, in one family', () => {
    const perFamily = Object.values(FAMILIES).flatMap((family) => Object.keys(family.en));
    expect(perFamily.length).toBe(new Set(perFamily).size);
    expect(new Set(perFamily)).toEqual(new Set(Object.keys(FINDING_WORDS.en)));
    expect(new Set(KEYS)).toEqual(new Set(Object.keys(FINDING_WORDS.fr)));
  });

  it.each(KEYS)('%s says something in both locales, and the French holds no English', (key) => {
    const en = said(key, 'en');
    const fr = said(key, 'fr');
    const samples: unknown[] = SAMPLES[key];
    fr.forEach((sentence, i) => {
      const facts = samples[i];
      expect(en[i]!.trim(), 'en').not.toBe('');
      expect(sentence.trim(), 'fr').not.toBe('');
      if (key !== 'quoted') expect(sentence, 'the French is the English').not.toBe(en[i]);
      expect(english(words(sentence, facts)), sentence).toEqual([]);
    });
  });

  it.each(KEYS)('%s writes a config key whole, in one code span', (key) => {
    for (const sentence of [...said(key, 'en'), ...said(key, 'fr')]) {
      // `scenario.tasks[0].request`.url: the key's end outside its span
      expect(sentence, sentence).not.toMatch(/`\.[A-Za-z_]/);
    }
  });
});
