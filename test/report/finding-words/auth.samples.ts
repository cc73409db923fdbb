import type { AUTH } from '../../../src/report/finding-words/auth.js';
import type { Samples } from '../../support/word-samples.js';

export const AUTH_SAMPLES: Samples<typeof AUTH.en> = {};
