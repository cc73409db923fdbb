import type { FormData } from 'undici';
import type { HttpSample } from '../../model/run-result.js';
import type { HttpOutcome } from './http-client.js';
import type { PreparedRequest } from './prepared-request.js';

/** Bytes of a request or response body kept in a failure sample. */
export const SAMPLE_BYTES = 2048;
export const REDACTED = '[REDACTED]';

const SECRET_HEADER =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token)$/i;
const SECRET_FIELD = /pass(word)?|secret|token|api[-_]?key|authorization|client[-_]?secret/i;

/**
 * One request/response pair kept as evidence for a failure group, with secrets removed: secret
 * headers, secret-looking form/JSON fields, and every value in `secrets` (env secrets
 * substituted into the request, variables captured by the user) wherever they appear.
 */
export function buildSample(
  request: PreparedRequest,
  outcome: HttpOutcome | undefined,
  secrets: Iterable<string>,
): HttpSample {
  const values = [...secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  const scrub = (text: string) => values.reduce((out, v) => out.split(v).join(REDACTED), text);
  const headers = (h: Record<string, string | string[] | undefined>) =>
    Object.fromEntries(
      Object.entries(h)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [
          k,
          SECRET_HEADER.test(k) ? REDACTED : scrub(Array.isArray(v) ? v.join(', ') : String(v)),
        ]),
    );
  const body =
    request.body === undefined
      ? undefined
      : typeof request.body === 'string'
        ? scrub(redactFields(request.body, request.headers['content-type']))
        : describeForm(request.body, scrub);
  return {
    request: {
      method: request.method,
      url: scrub(`${request.origin}${request.path}`),
      headers: headers(request.headers),
      ...(body !== undefined ? { body: truncate(body).text } : {}),
    },
    ...(outcome && outcome.status > 0
      ? {
          response: {
            status: outcome.status,
            headers: headers(outcome.headers),
            body: scrub(truncate(outcome.text).text),
            truncated: outcome.truncated || truncate(outcome.text).truncated,
          },
        }
      : {}),
  };
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

function truncate(text: string): { text: string; truncated: boolean } {
  return text.length > SAMPLE_BYTES
    ? { text: text.slice(0, SAMPLE_BYTES), truncated: true }
    : { text, truncated: false };
}

/** Replaces the values of secret-looking fields of a form or JSON body. */
function redactFields(body: string, contentType: string | undefined): string {
  if (contentType?.startsWith('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(body);
    for (const key of [...params.keys()]) if (SECRET_FIELD.test(key)) params.set(key, REDACTED);
    return params.toString().replace(/%5BREDACTED%5D/g, REDACTED);
  }
  if (contentType?.startsWith('application/json')) {
    try {
      return JSON.stringify(redactJson(JSON.parse(body)));
    } catch {
      return body;
    }
  }
  return body;
}

function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_FIELD.test(k) && (typeof v === 'string' || typeof v === 'number')
          ? REDACTED
          : redactJson(v),
      ]),
    );
  }
  return value;
}
