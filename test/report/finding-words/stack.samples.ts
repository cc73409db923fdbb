import type { STACK } from '../../../src/report/finding-words/stack.js';
import type { Samples } from '../../support/word-samples.js';

export const STACK_SAMPLES: Samples<typeof STACK.en> = {};
