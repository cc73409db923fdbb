import type { PROXY } from '../../../src/report/finding-words/proxy.js';
import type { Samples } from '../../support/word-samples.js';

export const PROXY_SAMPLES: Samples<typeof PROXY.en> = {};
