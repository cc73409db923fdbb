import type { Config } from '../../src/config/schema.js';
import { evaluateGate, type Baseline } from '../../src/gate/evaluate-gate.js';
import type { RunResult } from '../../src/model/run-result.js';
import { gateHeadline, wordThreshold } from '../../src/report/gate-messages.js';
import type { Locale } from '../../src/report/messages.js';

/** The gate's verdict with its facts worded as the JSON report words them (headline, limit, note). */
export function wordedGate(
  result: RunResult,
  thresholds: Config['thresholds'],
  baseline?: Baseline,
  locale: Locale = 'en',
) {
  const gate = evaluateGate(result, thresholds, baseline);
  return {
    ...gate,
    headline: gateHeadline(gate.headlineFact, locale),
    thresholds: gate.thresholds.map((th) => wordThreshold(th, locale)),
  };
}
