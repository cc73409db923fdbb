import type { ThresholdCheck } from '../../model/verdict.js';
import type { RegressionFacts } from '../../report/finding-words/regression.js';
import { w, type FindingFacts } from '../../report/finding-words/words.js';
import type { DiagnoseInput, Rule } from '../context.js';

function regressionFinding(
  input: DiagnoseInput,
  metric: 'p95' | 'failure-rate',
  id: string,
): FindingFacts[] {
  const regressions = (input.gate?.thresholds ?? []).filter(
    (t): t is ThresholdCheck & { baseline: number; delta: number } =>
      t.kind === 'regression' && t.metric === metric && t.status !== 'pass',
  );
  if (regressions.length === 0) return [];
  const confirmed = regressions.some((t) => t.status === 'fail');
  const facts: RegressionFacts = {
    metric,
    endpoints: regressions.filter((t) => t.scope !== 'global').map((t) => t.scope),
    against: input.gate?.baseline?.commit?.slice(0, 7) ?? input.gate?.baseline?.source,
  };
  return [
    {
      id,
      title: confirmed ? w('regression.confirmed', facts) : w('regression.unconfirmed', facts),
      confidence: confirmed ? 0.8 : 0.4,
      priority: confirmed ? 'high' : 'low',
      evidence: regressions.map((t) => w('regression.threshold', t)),
      actions: [
        {
          text: confirmed ? w('regression.compare', facts) : w('regression.longer-ramp'),
          priority: confirmed ? 'high' : 'low',
          effort: confirmed ? '2 h' : '5 min',
        },
      ],
    },
  ];
}

export const latencyRegression: Rule = (input) =>
  regressionFinding(input, 'p95', 'latency.regression');
export const errorsRegression: Rule = (input) =>
  regressionFinding(input, 'failure-rate', 'errors.regression');
