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
  | { pass: true; why: string }
  | {
      finding: string;
      action: RegExp;
      honest?: string;
      /** A probe (the refused request re-sent as the fix says) confirmed it: its evidence says so. */
      confirmed?: true;
      /** The answer alone says nothing of the cause (an empty 400): the probe found it. */
      probeOnly?: true;
    };

const LOGIN_TOKEN = /send the one its login returns/;
const PROBED_SCHEME =
  /^Send the token with the scheme the API accepted when probed: `Authorization: "Bearer \$\{token\}"`/;

/** The expectation of each fault on an app that answers it the usual way. */
const USUAL: Record<Fault, Expected> = {
  healthy: { pass: true, why: '' },
  'wrong-password': { finding: 'auth.invalid-credentials', action: /test account exists/ },
  'wrong-field': {
    finding: 'request.fields-missing',
    action: /^Send `username`.* instead of `email`/,
    confirmed: true,
  },
  'form-to-json': {
    finding: 'auth.request-format',
    action: /replace `form:` with `json:`/,
    confirmed: true,
  },
  'json-to-form': {
    finding: 'auth.request-format',
    action: /replace `json:` with `form:`/,
    confirmed: true,
  },
  'missing-token': {
    finding: 'auth.token-rejected',
    action: /^Send the login's token: add `headers: \{ Authorization: "Bearer \$\{token\}" \}`/,
    confirmed: true,
  },
  'wrong-scheme': { finding: 'auth.token-rejected', action: PROBED_SCHEME, confirmed: true },
  'foreign-token': { finding: 'auth.token-rejected', action: LOGIN_TOKEN, confirmed: true },
  'expired-token': { finding: 'auth.token-rejected', action: LOGIN_TOKEN, confirmed: true },
  csrf: { finding: 'request.csrf', action: /^Send the CSRF token/ },
  'rate-limit': {
    finding: 'rate-limited',
    action: /^Exempt the load-test client from rate limiting/,
  },
  exception: { finding: 'server.errors', action: /./ },
  'db-locked': { finding: 'database.locked', action: /SQLite lets one connection write at a time/ },
};

const accepted = (why: string): Expected => ({ pass: true, why });
/** The scheme the API named (`WWW-Authenticate`, or its answer), and a probe confirmed. */
const SCHEME_SAID: Expected = {
  finding: 'auth.token-rejected',
  action:
    /^Send the token with the scheme its (`WWW-Authenticate`|answer) names: `Authorization: "(Bearer|Token) \$\{token\}"`/,
  confirmed: true,
};

/** Where an app's answer differs from the usual one, what the diagnosis must make of it. */
const BY_APP: Record<string, Partial<Record<Fault, Expected>>> = {
  'django-rest': {
    'form-to-json': accepted('ObtainAuthToken reads JSON and form data'),
    'missing-token': {
      finding: 'auth.token-rejected',
      action: /^Send the login's token: add `headers: \{ Authorization: "Token \$\{token\}" \}`/,
      confirmed: true,
    },
    'wrong-scheme': SCHEME_SAID,
  },
  express: {},
  fastapi: {
    // FastAPI serves its OpenAPI document: loadgate reads it before the smoke stage, and its
    // finding says what the refusal's would
    'wrong-field': {
      finding: 'openapi.fields-missing',
      action: /^In loadgate.yml, add `username` to the body of `scenario.setup\[0\].request`/,
    },
    'missing-token': {
      finding: 'openapi.security-missing',
      action: /add `headers: \{ Authorization: "Bearer \$\{token\}" \}`/,
    },
    'form-to-json': { finding: 'openapi.media-type', action: /replace `form:` with `json:`/ },
    'json-to-form': { finding: 'openapi.media-type', action: /replace `json:` with `form:`/ },
    'wrong-scheme': SCHEME_SAID,
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
    'wrong-scheme': SCHEME_SAID,
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
      finding: 'auth.request-format',
      action: /replace `json:` with `form:`/,
      confirmed: true,
      probeOnly: true,
    },
  },
};

export function expectedOf(app: string, fault: Fault): Expected {
  return BY_APP[app]?.[fault] ?? USUAL[fault];
}
