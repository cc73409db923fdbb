import type { IncomingHttpHeaders } from 'node:http';

/** Reading a response head the raw connection has found whole: validity, framing, headers. */

/**
 * A whole response head as llhttp accepts it, in one linear pass: the status line, then lines of
 * a token, a colon and a value of tab, visible ASCII and Latin-1 (no CR, LF or NUL anywhere).
 */
export const VALID_HEAD =
  /^HTTP\/1\.[01] \d{3}(?: [^\r\n]*)?(?:\r\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*)*$/;

/** The headers that say how the body is framed and whether the connection stays open. */
const FRAMING = ['content-length', 'transfer-encoding', 'connection', 'keep-alive'] as const;
const NEEDLES = FRAMING.map((name) => `\r\n${name}:`);

/** The framing headers of a head, as a parse of every line gives them. */
export type FramingHeaders = Partial<Record<(typeof FRAMING)[number], string>>;

/**
 * The framing headers of a valid head, repeated ones joined with ", " as in a full parse: four
 * searches of the lower-cased head (a head's Latin-1 keeps its length when lower-cased).
 */
export function framingHeaders(head: string): FramingHeaders {
  const lower = head.toLowerCase();
  const headers: FramingHeaders = {};
  for (let i = 0; i < FRAMING.length; i++) {
    const needle = NEEDLES[i] as string;
    for (let at = lower.indexOf(needle); at >= 0; at = lower.indexOf(needle, at + 2)) {
      const start = at + needle.length;
      const end = lower.indexOf('\r\n', start);
      const value = head.slice(start, end < 0 ? head.length : end).trim();
      const name = FRAMING[i] as (typeof FRAMING)[number];
      const previous = headers[name];
      headers[name] = previous === undefined ? value : `${previous}, ${value}`;
    }
  }
  return headers;
}

/** The headers of a head already found valid, parsed when someone asks for them. */
export function headerLines(head: string): IncomingHttpHeaders {
  const headers = Object.create(null) as IncomingHttpHeaders;
  let at = head.indexOf('\r\n');
  while (at >= 0) {
    const next = head.indexOf('\r\n', at + 2);
    const line = head.slice(at + 2, next < 0 ? head.length : next);
    const colon = line.indexOf(':');
    addHeader(headers, line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
    at = next;
  }
  return headers;
}

/** Adds a header as node:http does: repeated ones joined with ", ", set-cookie as a list. */
export function addHeader(headers: IncomingHttpHeaders, name: string, value: string): void {
  const previous = headers[name];
  if (name === 'set-cookie') headers[name] = [...((previous as string[] | undefined) ?? []), value];
  else headers[name] = previous === undefined ? value : `${String(previous)}, ${value}`;
}
