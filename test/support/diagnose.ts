import type { DiagnoseInput, Rule } from '../../src/diagnose/context.js';
import { diagnose as findFacts } from '../../src/diagnose/diagnose.js';
import type { Locale } from '../../src/report/messages.js';
import { wordDiagnosis } from '../../src/report/word-diagnosis.js';

/** The diagnosis as a report says it, in the given locale (English by default). */
export function diagnose(input: DiagnoseInput & { locale?: Locale }, rules?: Rule[]) {
  const { locale = 'en', ...evidence } = input;
  return wordDiagnosis(findFacts(evidence, rules), locale);
}
