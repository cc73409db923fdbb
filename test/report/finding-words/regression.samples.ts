import type { REGRESSION } from '../../../src/report/finding-words/regression.js';
import type { Samples } from '../../support/word-samples.js';

const p95 = { metric: 'p95' as const, endpoints: ['GET /items'], against: 'bbbbbbb' };
const rate = { metric: 'failure-rate' as const, endpoints: [], against: undefined };
const threshold = {
  kind: 'regression' as const,
  metric: 'p95' as const,
  scope: 'GET /items',
  status: 'fail' as const,
  actual: 80,
  unit: 'ms' as const,
  baseline: 50,
  delta: 30,
  regressionLimit: { relativePercent: 15, absolute: 5 },
};

export const REGRESSION_SAMPLES: Samples<typeof REGRESSION.en> = {
  'regression.confirmed': [p95, rate],
  'regression.unconfirmed': [p95, rate],
  'regression.threshold': [
    threshold,
    {
      ...threshold,
      scope: 'global',
      status: 'inconclusive',
      fact: { kind: 'no-distribution' },
    },
  ],
  'regression.compare': [p95, rate],
  'regression.longer-ramp': [],
};
