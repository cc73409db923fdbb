import type { OpenApiMismatch } from '../../../src/model/openapi-evidence.js';
import type { OPENAPI } from '../../../src/report/finding-words/openapi.js';
import type { Samples } from '../../support/word-samples.js';

/** The mismatch as read from the document at this address (the evidence line's facts). */
const read = <M extends OpenApiMismatch>(m: M) => ({
  ...m,
  source: 'http://127.0.0.1:8000/openapi.json',
});

const unknownPath = {
  kind: 'unknown-path' as const,
  step: 'GET /itemz',
  stepPath: 'scenario.tasks[0]',
  method: 'GET',
  path: '/itemz',
  similar: ['/items', '/items/{item_id}'],
};
const nothingSimilar = { ...unknownPath, step: 'GET /v2/items', path: '/v2/items', similar: [] };

const methodNotAllowed = {
  kind: 'method-not-allowed' as const,
  step: 'DELETE /items',
  stepPath: 'scenario.tasks[1]',
  operation: 'DELETE /items',
  method: 'DELETE',
  allowed: ['GET', 'POST'],
};
const oneAllowed = { ...methodNotAllowed, allowed: ['GET'] };

/** The seed: a JSON login to an OAuth2 password form. */
const jsonLogin = {
  kind: 'media-type' as const,
  step: 'POST /token',
  stepPath: 'scenario.setup[0]',
  operation: 'POST /token',
  operationId: 'login_token_post',
  sent: 'application/json',
  sentKey: 'json' as const,
  expected: ['application/x-www-form-urlencoded'],
  fixKey: 'form' as const,
};
/** The key is right, the Content-Type is not (no operationId). */
const wrongContentType = {
  kind: 'media-type' as const,
  step: 'POST /reports',
  stepPath: 'scenario.tasks[2]',
  operation: 'POST /reports',
  sent: 'text/plain',
  sentKey: 'body' as const,
  expected: ['text/csv', 'application/xml'],
  fixKey: 'body' as const,
};
/** A raw body is wanted: `body:` with its type. */
const rawBody = {
  ...jsonLogin,
  step: 'PUT /export',
  stepPath: 'scenario.tasks[3]',
  operation: 'PUT /export',
  operationId: 'put_export',
  expected: ['text/csv'],
  fixKey: 'body' as const,
};

const bodyMissing = {
  kind: 'body-missing' as const,
  step: 'POST /items (no body)',
  stepPath: 'scenario.tasks[1]',
  operation: 'POST /items',
  operationId: 'create_item_items_post',
  expected: ['application/json'],
  fixKey: 'json' as const,
};
const rawBodyMissing = {
  kind: 'body-missing' as const,
  step: 'POST /import',
  stepPath: 'scenario.tasks[4]',
  operation: 'POST /import',
  expected: ['application/xml'],
  fixKey: 'body' as const,
};

const fieldsMissing = {
  kind: 'fields-missing' as const,
  step: 'POST /items (fields)',
  stepPath: 'scenario.tasks[0]',
  operation: 'POST /items',
  operationId: 'create_item_items_post',
  mediaType: 'application/json',
  fields: ['name', 'price'],
  sent: ['title'],
};
const oneFieldNoneSent = {
  ...fieldsMissing,
  step: 'POST /token',
  stepPath: 'scenario.setup[0]',
  operation: 'POST /token',
  operationId: 'login_token_post',
  mediaType: 'application/x-www-form-urlencoded',
  fields: ['username'],
  sent: [],
};

const bearer = {
  kind: 'security-missing' as const,
  step: 'GET /items',
  stepPath: 'scenario.tasks[2]',
  operation: 'GET /items',
  operationId: 'read_items_items_get',
  schemes: [{ name: 'OAuth2PasswordBearer', type: 'oauth2' }],
};
const apiKeys = {
  ...bearer,
  schemes: [
    { name: 'ApiKeyAuth', type: 'apiKey', in: 'header' as const, param: 'X-API-Key' },
    { name: 'SessionCookie', type: 'apiKey', in: 'cookie' as const, param: 'session_id' },
  ],
};
const queryKey = {
  ...bearer,
  step: 'GET /reports',
  operation: 'GET /reports',
  schemes: [{ name: 'ApiKeyQuery', type: 'apiKey', in: 'query' as const, param: 'api_key' }],
};
const basic = { ...bearer, schemes: [{ name: 'HTTPBasic', type: 'basic' }] };
/** A report read back with no scheme named: the sentences still say something. */
const noScheme = { ...bearer, schemes: [] };

export const OPENAPI_SAMPLES: Samples<typeof OPENAPI.en> = {
  'openapi.found-before-smoke': [],
  'openapi.step-accepted': [
    { stage: 'smoke', requests: 4, failed: 1, answered: 3, statuses: '500' },
    { stage: 'smoke', requests: 5, failed: 0, answered: 5, statuses: '' },
    { stage: 'smoke', requests: 1, failed: 0, answered: 1, statuses: '' },
  ],
  'openapi.step-failed': [
    { stage: 'smoke', requests: 1, failed: 1, answered: 0, statuses: '422' },
    { stage: 'ramp', requests: 40, failed: 12, answered: 28, statuses: '404/405' },
    { stage: 'smoke', requests: 3, failed: 3, answered: 0, statuses: '' },
  ],

  'openapi.unknown-path.title': [unknownPath],
  'openapi.unknown-path.spec': [read(unknownPath), read(nothingSimilar)],
  'openapi.unknown-path.sent': [unknownPath],
  'openapi.unknown-path.fix': [unknownPath, nothingSimilar],

  'openapi.method-not-allowed.title': [methodNotAllowed],
  'openapi.method-not-allowed.spec': [read(methodNotAllowed), read(oneAllowed)],
  'openapi.method-not-allowed.sent': [methodNotAllowed],
  'openapi.method-not-allowed.fix': [methodNotAllowed, oneAllowed],

  'openapi.media-type.title': [jsonLogin, wrongContentType],
  'openapi.media-type.spec': [read(jsonLogin), read(wrongContentType)],
  'openapi.media-type.sent': [jsonLogin, wrongContentType],
  'openapi.media-type.fix': [jsonLogin, wrongContentType, rawBody],

  'openapi.body-missing.title': [bodyMissing],
  'openapi.body-missing.spec': [read(bodyMissing), read(rawBodyMissing)],
  'openapi.body-missing.sent': [bodyMissing],
  'openapi.body-missing.fix': [bodyMissing, rawBodyMissing],

  'openapi.fields-missing.title': [fieldsMissing, oneFieldNoneSent],
  'openapi.fields-missing.spec': [read(fieldsMissing), read(oneFieldNoneSent)],
  'openapi.fields-missing.sent': [fieldsMissing, oneFieldNoneSent],
  'openapi.fields-missing.fix': [fieldsMissing, oneFieldNoneSent],

  'openapi.security-missing.title': [bearer, apiKeys, queryKey],
  'openapi.security-missing.spec': [read(bearer), read(apiKeys)],
  'openapi.security-missing.sent': [bearer, apiKeys, queryKey, noScheme],
  'openapi.security-missing.fix': [bearer, apiKeys, queryKey, basic, noScheme],
};
