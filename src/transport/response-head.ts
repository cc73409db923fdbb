import type { IncomingHttpHeaders } from 'node:http';

/** Reading a response head the raw connection has found whole: validity, framing, headers. */

/**
 * A whole response head as llhttp accepts it, in one linear pass: the status line, then lines of
 * a token, a colon and a value of tab, visible ASCII and Latin-1 (no CR, LF or NUL anywhere).
 */
export const VALID_HEAD =
  /^HTTP\/1\.[01] \d{3}(?: [^\r\n]*)?(?:\r\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*)*$/;

/** The headers that say how the body is framed and whether the connection stays open. */
const FRAMING = /\r\n(content-length|transfer-encoding|connection|keep-alive):([^\r]*)/gi;

/** The framing headers of a valid head, repeated ones joined with ", " as in a full parse. */
export function framingHeaders(head: string): IncomingHttpHeaders {
  const headers = Object.create(null) as IncomingHttpHeaders;
  FRAMING.lastIndex = 0;
  for (let m = FRAMING.exec(head); m; m = FRAMING.exec(head)) {
    addHeader(headers, (m[1] as string).toLowerCase(), (m[2] as string).trim());
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
