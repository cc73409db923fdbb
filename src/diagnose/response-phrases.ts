/**
 * What APIs answer, as data: the phrases of error bodies by what they mean, and the sentence
 * forms that name a field. Each entry says where it was seen; the zoo's captured responses
 * (`test/fixtures/zoo-samples/`) are the tests of this table. A framework whose refusals are
 * not read right gets its samples and a phrase here, never a regular expression in a rule.
 */

/** What a refusal says is wrong, most specific first (the first that matches wins). */
export const MEANINGS = [
  'csrf',
  'media-type',
  'json-expected',
  'token-expired',
  'token-scheme',
  'credentials-rejected',
  'token-invalid',
  'token-missing',
] as const;
export type Meaning = (typeof MEANINGS)[number];

/** A phrase: a lower-case substring, or a pattern for the phrases that vary. */
type Phrase = string | RegExp;

export const PHRASES: Record<Meaning, Phrase[]> = {
  csrf: [
    'csrf', // Django, DRF, Express csrf-csrf, Fastify, Flask-WTF, Laravel ("CSRF token mismatch.")
    'xsrf',
    'authenticity token', // Rails
    'authenticitytoken', // Rack::Protection's log: attack prevented by Rack::Protection::AuthenticityToken
  ],
  'media-type': [
    'unsupported media type', // 415's reason phrase; DRF: Unsupported media type "…" in request.
    'content-type', // Fastify: Unsupported Media Type: application/x-www-form-urlencoded
    'content type',
    'application/x-www-form-urlencoded',
    'multipart/form-data',
    /expected (a )?form/,
    /json (body )?(is )?not (accepted|supported)/,
  ],
  /** The body was not read as JSON: what an endpoint that reads JSON says of a form. */
  'json-expected': [
    /not (a )?valid json/,
    'invalid json', // Sinatra apps: halt 400, json(error: "Invalid JSON")
    'json decode error', // FastAPI
    'value is not a valid dict', // pydantic 1 (FastAPI): a form where a JSON object was expected
    'input should be a valid dictionary', // pydantic 2
    /expected (a )?json/,
  ],
  'token-expired': [
    /(token|jwt|session)[\w\s]{0,20}expired/, // jsonwebtoken: jwt expired; @fastify/jwt
    /expired[\w\s]{0,10}(token|jwt)/,
    'signature has expired', // PyJWT
  ],
  /** The Authorization header's scheme or format is wrong (the scheme may be named apart). */
  'token-scheme': [
    /\b(incorrect|invalid|unsupported|wrong|bad) (authorization|authentication|auth) (scheme|type|header format)\b/, // json-server-auth; koa-jwt: Bad Authorization header format
  ],
  'credentials-rejected': [
    /\b(incorrect|invalid|wrong|bad|unknown)\b[\w\s]{0,20}\b(user ?name|password|credentials?|e-?mail|login|account)\b/,
    /\b(user ?name|password|credentials?|e-?mail|login)\b[\w\s]{0,20}\b(incorrect|invalid|wrong|do(es)? not match|mismatch)\b/, // Laravel: The provided credentials are incorrect.
    'unable to log in with provided credentials', // DRF obtain_auth_token
    'invalid_grant', // OAuth2
    'authentication failed',
    'login failed',
    /\b(cannot|can'?t|could not|unable to) find (the |this )?(user|account)\b/, // json-server-auth
    /\b(user|account) (was )?not found\b/,
    /\bno such (user|account)\b/,
    /\b(user|account) does not exist\b/,
  ],
  'token-invalid': [
    'could not validate credentials', // FastAPI's docs
    /invalid (token|signature|jwt)/, // jsonwebtoken: invalid signature; DRF: Invalid token.
    /(token|jwt|signature)[\w\s]{0,20}(invalid|malformed|verification failed)/, // @fastify/jwt
    'bad signature',
    'signature verification failed', // PyJWT
  ],
  'token-missing': [
    'not authenticated', // FastAPI's OAuth2PasswordBearer
    /(missing|no)[\w\s]{0,20}(token|jwt|authorization|bearer|credentials)/, // @fastify/jwt: No Authorization was found; echo: missing or malformed jwt
    /authorization header (is )?(missing|required)/,
    'authentication credentials were not provided', // DRF
  ],
};

/** Words of a message that say a field is absent (not merely wrong). */
export const REQUIRED =
  /\b(required|missing|must not be (blank|null|empty)|should not be empty|can'?t be blank|may not be (blank|null)|not present)\b/i;

/**
 * Sentences that name the field they are about, with whether they say it is absent:
 * "body must have required property 'username'" (Ajv: Fastify), `"username" is required`
 * (Joi), "username should not be empty" (class-validator: NestJS), "The username field is
 * required." (Laravel), "Required request parameter 'username' … is not present" (Spring).
 */
export const FIELD_SENTENCES: { pattern: RegExp; missing: boolean }[] = [
  {
    pattern:
      /^(?<location>body|querystring|params|headers) must have required property '(?<name>[^']+)'/,
    missing: true,
  },
  {
    pattern: /Required (request )?(?<location>parameter|header|part) '(?<name>[^']+)'/i,
    missing: true,
  },
  { pattern: /^"(?<name>[\w.-]+)" is required\b/, missing: true },
  // go-playground/validator (Gin, Echo): Key: 'Login.Username' Error:Field validation for 'Username' failed on the 'required' tag
  { pattern: /Field validation for '(?<name>[^']+)' failed on the 'required' tag/, missing: true },
  { pattern: /^(?<name>[a-z_][\w.-]*) (should|must) not be empty\b/, missing: true },
  { pattern: /^The (?<name>[\w. -]+?) field is required\b/, missing: true },
  { pattern: /^(?<name>[a-z_][\w.-]*) must be (a|an) /, missing: false },
  { pattern: /^"(?<name>[\w.-]+)" must be /, missing: false },
];

/** Sentences that name the scheme the API reads: `Format is "Authorization: Bearer <token>"` (koa-jwt). */
export const SCHEME_SENTENCES: RegExp[] = [/Authorization: (?<scheme>[A-Za-z][\w-]*) [<[{]/];

/** Whether `text` (any case) holds one of `phrases`. */
export function saysAny(text: string, phrases: Phrase[]): boolean {
  const lower = text.toLowerCase();
  return phrases.some((p) => (typeof p === 'string' ? lower.includes(p) : p.test(lower)));
}
