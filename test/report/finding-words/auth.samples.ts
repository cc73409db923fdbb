import type { AUTH } from '../../../src/report/finding-words/auth.js';
import type { Samples } from '../../support/word-samples.js';

const login = { endpoint: 'POST /token' };
const items = { endpoint: 'GET /items' };
const step = { stepPath: 'scenario.tasks[0]' };
const form = {
  endpoint: 'POST /token',
  stepPath: 'scenario.setup[0]',
  fields: ['username', 'password'],
};
const locustfile = { endpoint: '/token', stepPath: undefined, fields: [] };
const once = { count: 1, requests: 1, stage: 'smoke' };
const often = { count: 3, requests: 5, stage: 'ramp' };

export const AUTH_SAMPLES: Samples<typeof AUTH.en> = {
  'auth.request-format.title': [login],
  'auth.request-format.answered': [
    { ...once, statuses: [422] },
    { ...often, statuses: [415] },
  ],
  'auth.request-format.sent-json': [{ key: 'scenario.setup[0].request.json' }, {}],
  'auth.request-format.json-unread': [
    { missing: ['username', 'password'] },
    { missing: ['email'] },
  ],
  'auth.request-format.oauth-form': [],
  'auth.request-format.action': [
    form,
    locustfile,
    { ...locustfile, fields: ['username', 'password'] },
  ],

  'auth.invalid-credentials.title': [login],
  'auth.invalid-credentials.answered': [
    { ...once, statuses: [401] },
    { ...often, statuses: [400, 401] },
  ],
  'auth.invalid-credentials.action': [],

  'auth.token-rejected.title': [items],
  'auth.token-rejected.answered': [
    { ...once, statuses: [401, 403] },
    { ...often, statuses: [401, 403] },
  ],
  'auth.token-rejected.authorization': [
    { value: 'Token ${token}', template: true },
    { value: '[REDACTED]', template: false },
    { value: undefined, template: true },
  ],
  'auth.token-rejected.api-says': [
    { problem: 'scheme' },
    { problem: 'missing' },
    { problem: 'expired' },
    { problem: 'invalid' },
  ],
  'auth.token-rejected.longer-lifetime': [],
  'auth.token-rejected.send-scheme': [step],
  'auth.token-rejected.check-capture': [step],
  'auth.token-rejected.send-header': [step],
  'auth.token-rejected.check-locustfile': [items],
};
