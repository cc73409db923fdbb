import type { FormData } from 'undici';
import type { HttpSample } from '../../model/run-result.js';
import {
  REDACTED,
  redactedHeader,
  SECRET_FIELD,
  SECRET_HEADER,
  valueScrubber,
  type ValueScrubber,
} from '../../shared/secrets.js';
import type { HttpOutcome, PreparedRequest } from '../../transport/exchange.js';

/** Bytes of a request or response body kept in a failure sample. */
export const SAMPLE_BYTES = 2048;

/** What a sample is made of: a request as sent (by this engine, or by Locust) and its response. */
export type SampledRequest = Pick<PreparedRequest, 'origin' | 'path' | 'headers' | 'body'> & {
  method: string;
};
export type SampledResponse = Pick<HttpOutcome, 'status' | 'headers' | 'text' | 'truncated'>;

/**
 * One request/response pair kept as evidence for a failure group, with secrets removed: secret
 * headers, secret-looking form/JSON fields, and every value in `secrets` (env secrets
 * substituted into the request, variables captured by the user) wherever they appear.
 */
export function buildSample(
  request: SampledRequest,
  outcome: SampledResponse | undefined,
  secrets: Iterable<string>,
): HttpSample {
  const scrub = valueScrubber(secrets);
  const headers = (h: Record<string, string | string[] | undefined>) =>
    Object.fromEntries(
      Object.entries(h)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [
          k,
          SECRET_HEADER.test(k)
            ? redactedHeader(k, Array.isArray(v) ? (v[0] ?? '') : String(v))
            : scrub(Array.isArray(v) ? v.join(', ') : String(v)),
        ]),
    );
  const body =
    request.body === undefined
      ? undefined
      : typeof request.body === 'string' || Buffer.isBuffer(request.body)
        ? scrub(redactFields(request.body.toString(), request.headers['content-type']))
        : describeForm(request.body, scrub);
  return {
    request: {
      method: request.method,
      url: scrub(`${request.origin}${request.path}`),
      headers: headers(request.headers),
      ...(body !== undefined ? { body: truncate(body, scrub).text } : {}),
    },
    ...(outcome && outcome.status > 0 ? { response: responseSample(outcome, scrub, headers) } : {}),
  };
}

function responseSample(
  outcome: SampledResponse,
  scrub: ValueScrubber,
  headers: (h: Record<string, string | string[] | undefined>) => Record<string, string>,
): NonNullable<HttpSample['response']> {
  const text = looksLikeJson(outcome.text, outcome.headers['content-type'])
    ? redactJson(outcome.text)
    : outcome.text;
  const cut = truncate(scrub(text), scrub, outcome.truncated);
  return {
    status: outcome.status,
    headers: headers(outcome.headers),
    body: cut.text,
    truncated: outcome.truncated || cut.truncated,
  };
}

/** The sample of a request that could not be built (nothing was sent). */
export function unsentSample(method: string, url: string): HttpSample {
  return { request: { method, url, headers: {} } };
}

/** A multipart body as evidence: field values (secret-looking ones redacted) and file sizes. */
function describeForm(form: FormData, scrub: (text: string) => string): string {
  const parts: string[] = [];
  form.forEach((value, name) => {
    parts.push(
      typeof value === 'string'
        ? `${name}=${SECRET_FIELD.test(name) ? REDACTED : scrub(value)}`
        : `${name}=<file ${(value as { name?: string }).name || 'blob'}, ${value.size} bytes, ${value.type || 'application/octet-stream'}>`,
    );
  });
  return `[multipart/form-data] ${parts.join('; ')}`;
}

/**
 * Cuts a scrubbed text to the sample size. When text was cut (here, or before when the body was
 * kept), a secret may straddle the cut: a tail that starts one is redacted too.
 */
function truncate(
  text: string,
  scrub: ValueScrubber,
  alreadyCut = false,
): { text: string; truncated: boolean } {
  const cut = text.length > SAMPLE_BYTES;
  let out = cut ? text.slice(0, SAMPLE_BYTES) : text;
  if (cut) {
    // a redaction cut in two reads as one
    for (let k = REDACTED.length - 1; k >= 2; k--) {
      if (out.endsWith(REDACTED.slice(0, k))) {
        out = out.slice(0, out.length - k) + REDACTED;
        break;
      }
    }
  }
  if (cut || alreadyCut) {
    for (const value of scrub.values) {
      for (let k = Math.min(value.length - 1, out.length); k >= 3; k--) {
        if (out.endsWith(value.slice(0, k))) {
          out = out.slice(0, out.length - k) + REDACTED;
          break;
        }
      }
    }
  }
  return { text: out, truncated: cut };
}

/** Replaces the values of secret-looking fields of a form or JSON body. */
function redactFields(body: string, contentType: string | undefined): string {
  if (contentType && /^application\/x-www-form-urlencoded/i.test(contentType)) {
    const params = new URLSearchParams(body);
    for (const key of [...params.keys()]) if (SECRET_FIELD.test(key)) params.set(key, REDACTED);
    return params.toString().replace(/%5BREDACTED%5D/g, REDACTED);
  }
  return looksLikeJson(body, contentType) ? redactJson(body) : body;
}

function looksLikeJson(text: string, contentType: string | string[] | undefined): boolean {
  return (typeof contentType === 'string' && /json/i.test(contentType)) || /^\s*[[{]/.test(text);
}

/** `"key": "value"` or `"key": 123` members of JSON text. */
const JSON_MEMBER = /"((?:[^"\\]|\\.)*)"(\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*)/g;

/**
 * Redacts the string and number values of secret-looking members, in place in the text: it
 * keeps the layout and works on a body cut short (a sample), where JSON.parse would not.
 */
function redactJson(text: string): string {
  return text.replace(JSON_MEMBER, (member: string, key: string, colon: string) =>
    SECRET_FIELD.test(key) ? `"${key}"${colon}"${REDACTED}"` : member,
  );
}
