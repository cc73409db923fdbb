/**
 * The diagnosis matrix: the faults every zoo app is run with, and what the diagnosis must say
 * of each (framework × fault). `test/e2e/diagnosis-matrix.test.ts` asserts every cell;
 * `scripts/diagnosis-table.ts` writes the README's "Diagnosis accuracy" table from it.
 */

export const FAULTS = [
  'healthy',
  'wrong-password',
  'wrong-field',
  'form-to-json',
  'json-to-form',
  'missing-token',
  'wrong-scheme',
  'foreign-token',
  'expired-token',
  'csrf',
  'rate-limit',
  'exception',
  'db-locked',
] as const;
export type Fault = (typeof FAULTS)[number];

/** Column headers of the README's table. */
export const FAULT_LABELS: Record<Fault, string> = {
  healthy: 'healthy',
  'wrong-password': 'wrong password',
  'wrong-field': 'wrong field name',
  'form-to-json': 'form to a JSON login',
  'json-to-form': 'JSON to a form login',
  'missing-token': 'no token',
  'wrong-scheme': 'wrong scheme',
  'foreign-token': 'token of another key',
  'expired-token': 'expired token',
  csrf: 'CSRF required',
  'rate-limit': 'rate limit',
  exception: 'unhandled exception',
  'db-locked': 'database locked',
};

/**
 * What a cell must give: the gate passes with nothing above Low (the framework accepts what
 * was sent, or has no such protection), or the top finding and a first action that matches.
 * `honest`: the API's answer says nothing more specific, and the action says so.
 */
export type Expected =
  { pass: true; why: string } | { finding: string; action: RegExp; honest?: string };

const LOGIN_TOKEN = /send the one its login returns/;
const HONEST_TOKEN = /(saying nothing loadgate reads|does not read the token where)/;

/** The expectation of each fault on an app that answers it the usual way. */
const USUAL: Record<Fault, Expected> = {
  healthy: { pass: true, why: '' },
  'wrong-password': { finding: 'auth.invalid-credentials', action: /test account exists/ },
  'wrong-field': {
    finding: 'request.fields-missing',
    action: /^Send `username`.* instead of `email`/,
  },
  'form-to-json': { finding: 'auth.request-format', action: /replace `form:` with `json:`/ },
  'json-to-form': { finding: 'auth.request-format', action: /replace `json:` with `form:`/ },
  'missing-token': {
    finding: 'auth.token-rejected',
    action: /^Send the login's token: add `headers: \{ Authorization: "Bearer \$\{token\}" \}`/,
  },
  'wrong-scheme': {
    finding: 'auth.token-rejected',
    action: HONEST_TOKEN,
    honest: 'the answer does not name the scheme',
  },
  'foreign-token': { finding: 'auth.token-rejected', action: LOGIN_TOKEN },
  'expired-token': { finding: 'auth.token-rejected', action: LOGIN_TOKEN },
  csrf: { finding: 'request.csrf', action: /^Send the CSRF token/ },
  'rate-limit': {
    finding: 'rate-limited',
    action: /^Exempt the load-test client from rate limiting/,
  },
  exception: { finding: 'server.errors', action: /./ },
  'db-locked': { finding: 'database.locked', action: /SQLite lets one connection write at a time/ },
};

const accepted = (why: string): Expected => ({ pass: true, why });
const SCHEME_SAID =
  /^Send the token with the scheme its (`WWW-Authenticate`|answer) names: `Authorization: "(Bearer|Token) \$\{token\}"`/;

/** Where an app's answer differs from the usual one, what the diagnosis must make of it. */
const BY_APP: Record<string, Partial<Record<Fault, Expected>>> = {
  'django-rest': {
    'form-to-json': accepted('ObtainAuthToken reads JSON and form data'),
    'missing-token': {
      finding: 'auth.token-rejected',
      action: /^Send the login's token: add `headers: \{ Authorization: "Token \$\{token\}" \}`/,
    },
    'wrong-scheme': { finding: 'auth.token-rejected', action: SCHEME_SAID },
  },
  express: {},
  fastapi: {
    // FastAPI serves its OpenAPI document: loadgate reads it before the smoke stage
    'wrong-field': {
      finding: 'openapi.fields-missing',
      action: /^In loadgate.yml, add `username` to the body of `scenario.setup\[0\].request`/,
    },
    'form-to-json': { finding: 'openapi.media-type', action: /replace `form:` with `json:`/ },
    'json-to-form': { finding: 'openapi.media-type', action: /replace `json:` with `form:`/ },
    'missing-token': {
      finding: 'openapi.security-missing',
      action: /add `headers: \{ Authorization: "Bearer \$\{token\}" \}`/,
    },
    'wrong-scheme': { finding: 'auth.token-rejected', action: SCHEME_SAID },
    csrf: accepted('FastAPI has no CSRF protection'),
  },
  fastify: {
    'json-to-form': accepted('Fastify parses JSON in every scope'),
  },
  flask: {
    'form-to-json': accepted('Flask-WTF reads form data and JSON'),
    'wrong-scheme': accepted("the tutorial's decorator never reads the scheme"),
  },
  koa: {
    'form-to-json': accepted('@koa/bodyparser reads JSON and form data'),
    'json-to-form': accepted('@koa/bodyparser reads JSON and form data'),
    'wrong-scheme': { finding: 'auth.token-rejected', action: SCHEME_SAID },
    csrf: {
      finding: 'request.rejected',
      action: /^The API answered 403 “Forbidden”: fix what it names/,
      honest: 'no Koa CSRF library is installed: a bare 403 Forbidden',
    },
  },
  laravel: {
    'form-to-json': accepted('Laravel reads form data and JSON alike'),
    'json-to-form': accepted('Laravel reads form data and JSON alike'),
  },
  nestjs: {
    'form-to-json': accepted('the express platform reads JSON and form data'),
    'json-to-form': accepted('the express platform reads JSON and form data'),
  },
  sinatra: {
    'json-to-form': {
      finding: 'request.rejected',
      action: /^The API answered 400: fix what it names/,
      honest: 'an empty 400',
    },
  },
};

export function expectedOf(app: string, fault: Fault): Expected {
  return BY_APP[app]?.[fault] ?? USUAL[fault];
}
