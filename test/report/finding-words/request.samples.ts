import type { REQUEST } from '../../../src/report/finding-words/request.js';
import type { Samples } from '../../support/word-samples.js';

const login = {
  endpoint: 'POST /login',
  stage: 'smoke',
  status: 400,
  count: 1,
  requests: 1,
  sent: ['user', 'password'],
  missing: [{ name: 'login', location: 'body' }],
  replaced: 'user',
  stepPath: 'scenario.setup[0]',
};
const many = {
  ...login,
  count: 3,
  requests: 5,
  sent: [],
  missing: [
    { name: 'X-Tenant', location: 'header' },
    { name: 'page', location: 'query' },
  ],
  replaced: undefined,
  stepPath: undefined,
};

export const REQUEST_SAMPLES: Samples<typeof REQUEST.en> = {
  'request.fields-missing.title': [login, many],
  'request.fields-missing.answered': [login, many],
  'request.fields-missing.sent': [login, many],
  'request.fields-missing.action': [login, many],
};
