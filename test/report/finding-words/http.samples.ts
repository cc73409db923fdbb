import type { HTTP } from '../../../src/report/finding-words/http.js';
import type { Samples } from '../../support/word-samples.js';

export const HTTP_SAMPLES: Samples<typeof HTTP.en> = {};
