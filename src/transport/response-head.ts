import type { IncomingHttpHeaders } from 'node:http';

/** Reading a response head the raw connection has found whole: validity, framing, headers. */

/**
 * A whole response head as llhttp accepts it, in one linear pass: the status line, then lines of
 * a token, a colon and a value of tab, visible ASCII and Latin-1 (no CR, LF or NUL anywhere).
 */
export const VALID_HEAD =
  /^HTTP\/1\.[01] \d{3}(?: [^\r\n]*)?(?:\r\n[!#$%&'*+\-.^_`|~0-9A-Za-z]+:[\t\x20-\x7e\x80-\xff]*)*$/;

/**
 * The headers that say how a response's body is framed and whether its connection stays open,
 * repeated ones joined with ", " as in a full parse (undefined: absent). One per connection,
 * filled in again for each response.
 */
export class FramingHeaders {
  contentLength: string | undefined = undefined;
  transferEncoding: string | undefined = undefined;
  connection: string | undefined = undefined;
  keepAlive: string | undefined = undefined;

  /**
   * From a valid head, without parsing its other headers: a line is one of them when the colon
   * comes right after as many characters as the name has, and they are the name's, whatever
   * their case (one search per line for its end, nothing lower-cased or copied but the values).
   */
  readHead(head: string): void {
    this.contentLength = this.transferEncoding = this.connection = this.keepAlive = undefined;
    let at = head.indexOf('\r\n');
    while (at >= 0) {
      const start = at + 2;
      const next = head.indexOf('\r\n', start);
      const initial = head.charCodeAt(start) | 0x20;
      if (initial === 99 /* c */) {
        if (isName(head, start, 'content-length'))
          this.contentLength = joined(this.contentLength, valueOf(head, start + 14, next));
        else if (isName(head, start, 'connection'))
          this.connection = joined(this.connection, valueOf(head, start + 10, next));
      } else if (initial === 116 /* t */) {
        if (isName(head, start, 'transfer-encoding'))
          this.transferEncoding = joined(this.transferEncoding, valueOf(head, start + 17, next));
      } else if (initial === 107 /* k */ && isName(head, start, 'keep-alive'))
        this.keepAlive = joined(this.keepAlive, valueOf(head, start + 10, next));
      at = next;
    }
  }

  /** From headers parsed line by line (`addHeader` joined repeated ones: strings). */
  readHeaders(headers: IncomingHttpHeaders): void {
    this.contentLength = headers['content-length'];
    this.transferEncoding = headers['transfer-encoding'];
    this.connection = headers.connection;
    this.keepAlive = headers['keep-alive'] as string | undefined;
  }
}

const joined = (previous: string | undefined, value: string) =>
  previous === undefined ? value : `${previous}, ${value}`;

/** The value of the header line whose colon is at `colon` and which ends at `end` (-1: last). */
const valueOf = (head: string, colon: number, end: number) =>
  head.slice(colon + 1, end < 0 ? head.length : end).trim();

/**
 * Whether the header line at `start` of a valid head is named `name` (lower case), whatever the
 * case of its letters: `name` then its colon. A valid name is a token, in which only A-Z turn
 * into a-z under `| 0x20`; a shorter line fails on its CR LF (LF turns into no letter).
 */
function isName(head: string, start: number, name: string): boolean {
  if (head.charCodeAt(start + name.length) !== 58 /* : */) return false;
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
