/**
 * What loadgate treats as a secret, in one place: the redaction mark, secret variable names,
 * header names and body fields, and how known secret values are replaced. The engines use it
 * for their failure samples, the report for everything it writes.
 */

export const REDACTED = '[REDACTED]';

/**
 * Names of environment variables whose values are treated as secrets: the pipeline redacts
 * their values from everything it writes, and the Locust engine keeps them out of its logs.
 */
export const SECRET_NAME = /pass|secret|token|key|auth|credential/i;

/** Headers whose whole value is a credential. */
export const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token)$/i;

/**
 * A secret header's value redacted: whole, but for the scheme of an Authorization header
 * (`Bearer [REDACTED]`), which is no secret and tells which scheme was sent.
 */
export function redactedHeader(name: string, value: string): string {
  const scheme = /^(proxy-)?authorization$/i.test(name)
    ? /^([A-Za-z][\w!#$%&'*+.^`|~-]*)\s+\S/.exec(value.trim())?.[1]
    : undefined;
  return scheme ? `${scheme} ${REDACTED}` : REDACTED;
}

/** Form or JSON fields whose value is a credential. */
export const SECRET_FIELD = /pass(word)?|secret|token|api[-_]?key|authorization|client[-_]?secret/i;

/** Secret values shorter than this are not replaced: they would blank ordinary words. */
const MIN_SECRET_LENGTH = 4;

/** Replaces known secret values wherever they appear; `values` are the ones it replaces. */
export type ValueScrubber = ((text: string) => string) & { values: string[] };

/** Every known secret value (longest first, so that one inside another goes whole). */
export function valueScrubber(secrets: Iterable<string>): ValueScrubber {
  const values = [...new Set(secrets)]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  const scrub = ((text: string) =>
    values.reduce((out, v) => out.split(v).join(REDACTED), text)) as ValueScrubber;
  scrub.values = values;
  return scrub;
}
