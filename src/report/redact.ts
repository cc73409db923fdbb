import { REDACTED, valueScrubber } from '../shared/secrets.js';

/** Replaces secrets in text: known secret values, bearer tokens, JWTs, password fields. */
export type Redactor = (text: string) => string;

const PATTERNS: [RegExp, string][] = [
  // Authorization: Bearer xxx / Basic xxx (header lines and JSON-ish dumps)
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9\-._~+/]+=*/g, `$1 ${REDACTED}`],
  // JWT-looking strings: three base64url segments, the first one a JSON header
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, REDACTED],
  // password=..., "password": "...", access_token=... in form or JSON text
  // (not a template: `${{ secrets.X }}`, `${env.X}` and `${token}` name a secret, they hold none;
  // nor a list or an object: `"password": ["This field is required."]` is an API's error)
  [
    /((?:pass(?:word)?|passwd|secret|api[-_]?key|access[-_]?token|refresh[-_]?token|client[-_]?secret)"?\s*[:=]\s*"?)(?!['"]?\$\{)(?![[{])([^"&\s,}]+)/gi,
    `$1${REDACTED}`,
  ],
];

/**
 * Builds a redactor for a run. `secrets` are exact values (env secrets, captured tokens,
 * the GitHub token); values shorter than 4 characters are ignored (too likely to be words).
 */
export function createRedactor(secrets: Iterable<string>): Redactor {
  const scrub = valueScrubber(secrets);
  return (text) => {
    let out = scrub(text);
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}

/** Applies a redactor to every string of a JSON-like value (returns a copy). */
export function redactDeep<T>(value: T, redact: Redactor): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, redact)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, redactDeep(item, redact)]),
    ) as T;
  }
  return value;
}
