import type { OPENAPI } from '../../../src/report/finding-words/openapi.js';
import type { Samples } from '../../support/word-samples.js';

export const OPENAPI_SAMPLES: Samples<typeof OPENAPI.en> = {};
