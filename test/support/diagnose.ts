import type { DiagnoseInput, Rule } from '../../src/diagnose/context.js';
import { diagnose as findFacts } from '../../src/diagnose/diagnose.js';
import { wordDiagnosis } from '../../src/report/word-diagnosis.js';

/** The diagnosis as a report says it, in the input's locale (English by default). */
export function diagnose(input: DiagnoseInput, rules?: Rule[]) {
  return wordDiagnosis(findFacts(input, rules), input.locale ?? 'en');
}
