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

/** The framing headers of a head, as a parse of every line gives them. */
export type FramingHeaders = Partial<Record<(typeof FRAMING)[number], string>>;

/**
 * The framing headers of a valid head, repeated ones joined with ", " as in a full parse. Each
 * line's name is compared only when its length is a framing header's, letter by letter without
 * case (a valid name is a token: only A-Z turn into a-z under `| 0x20`), so the other lines
 * cost two searches and nothing is lower-cased or copied but the values kept.
 */
export function framingHeaders(head: string): FramingHeaders {
  const headers: FramingHeaders = {};
  let at = head.indexOf('\r\n');
  while (at >= 0) {
    const start = at + 2;
    const next = head.indexOf('\r\n', start);
    const colon = head.indexOf(':', start);
    const length = colon - start;
    if (length === 10 || length === 14 || length === 17) {
      for (const name of FRAMING) {
        if (name.length !== length || !sameName(head, start, name)) continue;
        const value = head.slice(colon + 1, next < 0 ? head.length : next).trim();
        const previous = headers[name];
        headers[name] = previous === undefined ? value : `${previous}, ${value}`;
        break;
      }
    }
    at = next;
  }
  return headers;
}

/** Whether `head` holds `name` (lower case) at `start`, whatever the case of its letters. */
function sameName(head: string, start: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    if ((head.charCodeAt(start + i) | 0x20) !== name.charCodeAt(i)) return false;
  }
  return true;
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
