import type { CAPACITY } from '../../../src/report/finding-words/capacity.js';
import type { Samples } from '../../support/word-samples.js';

export const CAPACITY_SAMPLES: Samples<typeof CAPACITY.en> = {};
