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

const comments = { endpoint: 'POST /api/comments', stepPath: 'scenario.tasks[1]' };
const rejected = {
  ...comments,
  status: 400,
  reason: 'Bad Request',
  message: 'quota exceeded for plan',
};

export const REQUEST_SAMPLES: Samples<typeof REQUEST.en> = {
  'request.csrf.title': [comments],
  'request.csrf.action': [comments, { endpoint: '/api/comments', stepPath: undefined }],
  'request.rejected.title': [rejected],
  'request.rejected.action': [rejected, { ...rejected, message: '', stepPath: undefined }],
  'request.fields-missing.title': [login, many],
  'request.fields-missing.answered': [login, many],
  'request.fields-missing.sent': [login, many],
  'request.fields-missing.action': [login, many],
};
