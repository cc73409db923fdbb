import { describe, expect, it } from 'vitest';
import type { PreparedRequest } from '../../src/transport/exchange.js';
import { RawConnection } from '../../src/transport/raw-connection.js';
import { VALID_HEAD } from '../../src/transport/response-head.js';

const REQUEST: PreparedRequest = {
  origin: 'http://127.0.0.1:1',
  method: 'GET',
  path: '/',
  headers: {},
  headersTimeout: 30_000,
  bodyTimeout: 30_000,
  bytesSent: 0,
};

/** How a connection reads `head` (Latin-1): through the one-pattern path, or the line-by-line one. */
function read(head: string, path: 'onHead' | 'onOtherHead') {
  const connection = new RawConnection('127.0.0.1', 1, '127.0.0.1:1', { cancelled: false });
  connection.send(
    REQUEST,
    () => 0,
    performance.now(),
    () => {},
  );
  connection.destroy();
  const parse = (connection as unknown as Record<string, (...args: unknown[]) => boolean>)[path]!;
  // the one-pattern path reads the head's bytes (as they came), the line-by-line one its text
  const accepted =
    path === 'onHead'
      ? parse.call(connection, Buffer.from(`${head}\r\n\r\n`, 'latin1'), head.length)
      : parse.call(connection, head);
  const fields = connection as unknown as Record<string, unknown>;
  return {
    accepted,
    status: connection.status,
    headers: { ...connection.headers },
    keepAlive: fields.keepAlive,
    body: fields.body,
    remaining: fields.remaining,
    error: connection.error,
  };
}

/** A small generator of heads, valid and not, from the characters that matter (seeded). */
function* heads(count: number): Generator<string> {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) as number;
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)] as T;
  const names = [
    'Content-Length',
    'content-length',
    'Transfer-Encoding',
    'Connection',
    'Keep-Alive',
    // a framing header's length, not its name; its name in capitals
    'Connectiom',
    'Content-Lengths',
    'KEEP-ALIVE',
    'X-A',
    'Set-Cookie',
    'constructor',
    'Bad Name',
    '',
  ];
  const values = [
    '12',
    ' 12 ',
    '0',
    'chunked',
    'gzip, chunked',
    'close',
    'keep-alive',
    'timeout=5',
    'a\u00e9b',
    'x\ty',
    '',
    'a\u0000b',
    'a\rb',
    'a\nb',
    '\u000bv',
    'abc ',
  ];
  const statusLines = [
    'HTTP/1.1 200 OK',
    'HTTP/1.0 200 OK',
    'HTTP/1.1 204',
    'HTTP/1.1 100 Continue',
    'HTTP/1.1 101 Switching',
    'HTTP/2 200 OK',
    'HTTP/1.1 200 O\rK',
    'HTTP/1.1 304 Not Modified',
  ];
  for (let i = 0; i < count; i++) {
    const lines = [pick(statusLines)];
    const n = Math.floor(random() * 5);
    for (let j = 0; j < n; j++) lines.push(`${pick(names)}:${pick(values)}`);
    yield lines.join('\r\n');
  }
}

describe('the response head read in one pass is read as the line-by-line parse reads it', () => {
  it('a usual head is accepted by the one pattern', () => {
    expect(
      VALID_HEAD.test(
        'HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nDate: Sun, 29 Nov 2026 19:53:55 GMT\r\nConnection: keep-alive\r\nKeep-Alive: timeout=60',
      ),
    ).toBe(true);
  });

  it('2,000 generated heads: the same verdict, status, headers, keep-alive and framing', () => {
    let fast = 0;
    for (const head of heads(2000)) {
      const slow = read(head, 'onOtherHead');
      expect(read(head, 'onHead'), JSON.stringify(head)).toEqual(slow);
      // again: the same bytes as the last head read are not read again (\`HeadMemo\`)
      expect(read(head, 'onHead'), JSON.stringify(head)).toEqual(slow);
      if (VALID_HEAD.test(head)) {
        fast++;
        // what the pattern accepts is a well-formed head for the line-by-line parse too (it may
        // still refuse what it says: a 101, a Transfer-Encoding that does not end in chunked)
        expect(slow.error ?? '', JSON.stringify(head)).not.toMatch(/Invalid header|Expected HTTP/);
      }
    }
    // both paths were exercised
    expect(fast).toBeGreaterThan(200);
    expect(fast).toBeLessThan(1900);
  });
});
