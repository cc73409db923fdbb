import type { AUTH } from '../../../src/report/finding-words/auth.js';
import type { Samples } from '../../support/word-samples.js';

const login = { endpoint: 'POST /token', loginWorked: false };
const items = { endpoint: 'GET /items', loginWorked: true };
const action = { stepPath: 'scenario.tasks[0]', scheme: 'Bearer', variable: 'token' };
const told = { ...action, scheme: 'Token', schemeSaid: 'header' as const };
const untold = { stepPath: 'scenario.tasks[0]', scheme: undefined, variable: undefined };
const form = {
  endpoint: 'POST /token',
  stepPath: 'scenario.setup[0]',
  sent: 'json' as const,
  want: 'form' as const,
  fields: ['username', 'password'],
};
const locustfile = {
  endpoint: '/token',
  stepPath: undefined,
  sent: 'json' as const,
  want: 'form' as const,
  fields: [],
};
const once = { count: 1, requests: 1, stage: 'smoke' };
const often = { count: 3, requests: 5, stage: 'ramp' };

export const AUTH_SAMPLES: Samples<typeof AUTH.en> = {
  'auth.request-format.title': [
    form,
    { ...form, sent: 'form', want: 'json' },
    { ...form, sent: 'multipart', want: undefined },
  ],
  'auth.request-format.answered': [
    { ...once, statuses: [422] },
    { ...often, statuses: [415] },
  ],
  'auth.request-format.sent-json': [
    { key: 'scenario.setup[0].request.json', sent: 'json' },
    { key: 'scenario.setup[0].request.form', sent: 'form' },
    { sent: 'json' },
  ],
  'auth.request-format.json-unread': [
    { missing: ['username', 'password'], sent: 'json' },
    { missing: ['email'], sent: 'form' },
  ],
  'auth.request-format.status-415': [],
  'auth.request-format.oauth-form': [],
  'auth.request-format.action': [
    form,
    { ...form, sent: 'form', want: 'json' },
    { ...form, sent: 'raw', want: undefined },
    locustfile,
    { ...locustfile, sent: 'form', want: 'json', fields: ['username', 'password'] },
  ],

  'auth.invalid-credentials.title': [login],
  'auth.invalid-credentials.answered': [
    { ...once, statuses: [401] },
    { ...often, statuses: [400, 401] },
  ],
  'auth.invalid-credentials.action': [],

  'auth.token-rejected.title': [items, login],
  'auth.token-rejected.answered': [
    { ...once, statuses: [401], loginWorked: true },
    { ...often, statuses: [403], loginWorked: false },
  ],
  'auth.token-rejected.authorization': [
    { sent: true, scheme: 'Token', variable: 'token', fixed: false, template: true },
    { sent: true, scheme: 'Bearer', fixed: true, template: true },
    { sent: true, fixed: false, template: false },
    { sent: false, fixed: false, template: true },
  ],
  'auth.token-rejected.api-says': [
    { problem: 'scheme', scheme: 'Token' },
    { problem: 'missing' },
    { problem: 'expired' },
    { problem: 'invalid' },
    { problem: 'unread' },
  ],
  'auth.token-rejected.longer-lifetime': [],
  'auth.token-rejected.send-scheme': [
    { ...told, sentScheme: 'Bearer' },
    { ...action, schemeSaid: 'body' as const },
  ],
  'auth.token-rejected.send-header': [told, action, untold],
  'auth.token-rejected.use-login-token': [
    { ...action, problem: 'expired' },
    { ...untold, problem: 'invalid' },
  ],
  'auth.token-rejected.signing-key': [action],
  'auth.token-rejected.unread': [action],
  'auth.token-rejected.refused': [{ ...action, status: 401 }],
  'auth.token-rejected.check-locustfile': [{ endpoint: 'GET /items' }],
};
