import type { COMMON } from '../../../src/report/finding-words/common.js';
import type { Samples } from '../../support/word-samples.js';

export const COMMON_SAMPLES: Samples<typeof COMMON.en> = {
  quoted: [{ text: 'données' }],
  'common.load-only': [],
  'common.failure-onset': [
    { what: '503', second: 4, users: 12, rps: 80, clock: '19:22:05' },
    { what: 'ECONNRESET', second: 1, users: 1, rps: 1, clock: '00:00:01' },
  ],
  'common.response-body': [{ body: '{"detail":"Not Found"}' }, { body: '' }],
  'common.log-line': [{ line: 'ERROR:    [Errno 98] address already in use' }],
  'common.probe': [
    { hypothesis: { kind: 'body', body: 'form' }, status: 200, confirmed: true },
    { hypothesis: { kind: 'body', body: 'json' }, status: 400, confirmed: false },
    { hypothesis: { kind: 'scheme', scheme: 'Bearer' }, status: 200, confirmed: true },
    {
      hypothesis: { kind: 'login-token', scheme: 'Token', variable: 'token' },
      status: 0,
      confirmed: false,
    },
    { hypothesis: { kind: 'field', from: 'email', to: 'username' }, status: 200, confirmed: true },
  ],
};
