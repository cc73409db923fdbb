import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { HttpOutcome, PreparedRequest } from '../../src/transport/exchange.js';
import { RawConnection } from '../../src/transport/raw-connection.js';

/**
 * A scripted server on a raw socket: each request (read up to its blank line and declared body)
 * gets the next scripted answer, written in pieces of `pieceBytes` (1: byte by byte, so every
 * parser state is split across reads).
 */
async function scripted(
  answers: (string | ((socket: net.Socket) => void))[],
  pieceBytes = Infinity,
) {
  const received: string[] = [];
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    let buffer = '';
    socket.on('data', (data) => {
      buffer += data.toString('latin1');
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/content-length: (\d+)/i.exec(buffer.slice(0, end))?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        received.push(buffer.slice(0, end + 4 + length));
        buffer = buffer.slice(end + 4 + length);
        const answer = answers.shift();
        if (typeof answer === 'function') answer(socket);
        else if (answer !== undefined) void write(socket, answer, pieceBytes);
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  servers.push(server);
  return { port, received, connections: () => connections };
}

async function write(socket: net.Socket, text: string, pieceBytes: number) {
  const bytes = Buffer.from(text, 'latin1');
  for (let i = 0; i < bytes.length; i += pieceBytes) {
    socket.write(bytes.subarray(i, i + pieceBytes));
    if (pieceBytes < bytes.length) await new Promise((r) => setImmediate(r));
  }
}

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  for (const server of servers.splice(0)) {
    await new Promise((resolve) => server.close(resolve));
  }
});

function request(overrides: Partial<PreparedRequest> = {}): PreparedRequest {
  return {
    origin: 'http://127.0.0.1',
    path: '/items?x=1',
    method: 'GET',
    headers: { authorization: 'Bearer t' },
    headersTimeout: 2000,
    bodyTimeout: 2000,
    bytesSent: 0,
    ...overrides,
  };
}

const stage = { cancelled: false };
const connectTo = (port: number, cancellation = stage) =>
  new RawConnection('127.0.0.1', port, `127.0.0.1:${port}`, cancellation);
const keepAll = () => 1024 * 1024;
/** The outcome of one request on `connection`. */
const sent = (
  connection: RawConnection,
  req: PreparedRequest,
  keep: (status: number) => number,
): Promise<HttpOutcome> =>
  new Promise((done) => connection.send(req, keep, performance.now(), done));

async function exchange(
  connection: RawConnection,
  req = request(),
  keep: (status: number) => number = keepAll,
) {
  const outcome = await sent(connection, req, keep);
  return { ...outcome, headers: { ...outcome.headers } };
}

describe('RawConnection (HTTP/1.1 on a raw socket)', () => {
  it.each([1, 7, Infinity])(
    'reads length, chunked and close-delimited bodies, split in pieces of %s bytes',
    async (piece) => {
      const server = await scripted(
        [
          'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nhello',
          'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nX-Trailer: 1\r\n\r\n',
          'HTTP/1.1 204 No Content\r\nX-A: 1\r\nX-A: 2\r\n\r\n',
          (socket) => socket.end('HTTP/1.0 200 OK\r\n\r\nuntil the end'),
        ],
        piece,
      );
      const connection = connectTo(server.port);
      expect(await exchange(connection)).toMatchObject({
        status: 200,
        text: 'hello',
        bytesReceived: 5,
        headers: { 'content-length': '5', 'set-cookie': ['a=1', 'b=2'] },
        error: undefined,
      });
      expect(await exchange(connection)).toMatchObject({
        status: 201,
        text: 'abcde',
        bytesReceived: 5,
      });
      expect(await exchange(connection)).toMatchObject({
        status: 204,
        text: '',
        headers: { 'x-a': '1, 2' },
      });
      expect(await exchange(connection)).toMatchObject({ status: 200, text: 'until the end' });
      expect(server.connections()).toBe(1); // keep-alive until the close-delimited body
      expect(server.received[0]).toBe(
        `GET /items?x=1 HTTP/1.1\r\nhost: 127.0.0.1:${server.port}\r\nauthorization: Bearer t\r\n\r\n`,
      );
    },
  );

  it('release forgets the response read (head, headers, body), not the connection', async () => {
    const server = await scripted([
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Id: 7\r\n\r\nhello',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok',
    ]);
    const connection = connectTo(server.port);
    const unread = await sent(connection, request(), keepAll);
    expect(unread.text).toBe('hello');
    connection.release(); // headers never asked for: the unparsed head goes too
    expect(connection.headers).toEqual({});
    expect(connection.text).toBe('');
    expect(connection.status).toBe(200); // what the user recorded stays readable
    const read = await sent(connection, request(), keepAll);
    expect(read.headers['content-length']).toBe('2');
    connection.release();
    expect(connection.headers).toEqual({});
    expect(server.connections()).toBe(1);
  });

  it('sends bodies with their length, reconnects after Connection: close, keeps only what is asked', async () => {
    const server = await scripted([
      'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 10\r\n\r\n0123456789',
      'HTTP/1.1 500 Oops\r\nContent-Length: 10\r\n\r\n0123456789',
      'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n',
    ]);
    const connection = connectTo(server.port);
    const post = request({ method: 'POST', body: '{"é":1}', headers: {} });
    expect(await exchange(connection, post, () => 4)).toMatchObject({
      status: 200,
      text: '0123',
      truncated: true,
      bytesReceived: 10,
    });
    expect(await exchange(connection, post, (s: number) => (s >= 400 ? 3 : 0))).toMatchObject({
      status: 500,
      text: '012',
      truncated: true,
    });
    expect(await exchange(connection, request({ method: 'POST', headers: {} }))).toMatchObject({
      status: 200,
    });
    expect(server.connections()).toBe(2);
    expect(server.received[0]).toContain(
      `content-length: 8\r\n\r\n${Buffer.from('{"é":1}').toString('latin1')}`, // UTF-8 on the wire
    );
    expect(server.received[2]).toContain('content-length: 0\r\n');
  });

  it.each([
    {
      what: 'a status line that is not HTTP',
      answer: 'SSH-2.0-OpenSSH\r\n\r\n',
      error: /^invalid HTTP response: Expected HTTP\//,
    },
    {
      what: 'a bad content length',
      answer: 'HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n',
      error: /^invalid HTTP response: Invalid character in Content-Length/,
    },
    {
      what: 'a bad chunk size',
      answer: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      error: /^invalid HTTP response: Invalid character in chunk size/,
    },
    // framing as strict as llhttp: each of these is how a smuggled response gets through
    {
      what: 'Content-Length with Transfer-Encoding',
      answer:
        'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      error: /^invalid HTTP response: Content-Length can't be present with Transfer-Encoding$/,
    },
    {
      what: 'Transfer-Encoding: chunked, gzip',
      answer: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      error: /^invalid HTTP response: Transfer-Encoding must end with chunked, once/,
    },
    {
      what: 'Transfer-Encoding: gzip (close-delimited)',
      answer: (s: net.Socket) => s.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nabc'),
      error: /^invalid HTTP response: Transfer-Encoding must end with chunked, once/,
    },
    {
      what: 'chunked twice, in two headers',
      answer:
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      error: /^invalid HTTP response: Transfer-Encoding must end with chunked, once/,
    },
    {
      what: 'a chunk size past 2^64',
      answer: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\nabc',
      error: /^invalid HTTP response: Chunk size overflow \(21 hex digits\)$/,
    },
    {
      what: 'a chunk size past Number.MAX_SAFE_INTEGER',
      answer: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n20000000000000\r\nabc',
      error: /^invalid HTTP response: Chunk size overflow \(14 hex digits\)$/,
    },
    {
      what: 'two differing Content-Length headers',
      answer: 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd',
      error: /^invalid HTTP response: Duplicate Content-Length with differing values$/,
    },
    {
      what: 'a space before the colon of Transfer-Encoding',
      answer:
        'HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding : chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n',
      error: /^invalid HTTP response: Invalid header token "Transfer-Encoding "$/,
    },
    {
      what: 'a folded header line (obs-fold: refused, not unfolded)',
      answer: 'HTTP/1.1 200 OK\r\nX-A: 1\r\n Content-Length: 2\r\n\r\nok',
      error: /^invalid HTTP response: Invalid header token " Content-Length"$/,
    },
    {
      what: 'a bare LF inside a header value (a smuggled header)',
      answer: 'HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 0\r\nContent-Length: 2\r\n\r\nok',
      error: /^invalid HTTP response: Invalid header value char in X-A$/,
    },
    {
      what: 'a NUL inside a header value',
      answer: 'HTTP/1.1 200 OK\r\nX-A: a\u0000b\r\nContent-Length: 2\r\n\r\nok',
      error: /^invalid HTTP response: Invalid header value char in X-A$/,
    },
    {
      what: 'a head that never ends',
      answer: `HTTP/1.1 200 OK\r\nX: ${'a'.repeat(70_000)}`,
      error: /^invalid HTTP response: Header overflow/,
    },
    {
      what: 'a close mid-body',
      answer: (s: net.Socket) => s.end('HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nabc'),
      error: /^UND_ERR_SOCKET: the server closed the connection$/,
      kinds: ['closed'],
    },
    {
      what: 'a reset',
      answer: (s: net.Socket) => s.resetAndDestroy(),
      error: /^(ECONNRESET|UND_ERR_SOCKET)/,
      kinds: ['reset', 'closed'],
    },
  ])(
    '$what is a network error, and the next request reconnects',
    async ({ answer, error, kinds = ['protocol'] }) => {
      const server = await scripted([answer, 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok']);
      const connection = connectTo(server.port);
      const failed = await exchange(connection);
      expect(failed.status).toBe(0);
      expect(failed.error).toMatch(error);
      expect(kinds).toContain(failed.errorKind);
      expect(await exchange(connection)).toMatchObject({ status: 200, text: 'ok' });
    },
  );

  it('a header named constructor or __proto__ is a header like any other; a repeated equal Content-Length is that length', async () => {
    const server = await scripted(
      [
        'HTTP/1.1 200 OK\r\nConstructor: c\r\n__proto__: p\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nok',
      ],
      1,
    );
    const outcome = await sent(connectTo(server.port), request(), keepAll);
    expect(outcome).toMatchObject({ status: 200, text: 'ok', error: undefined });
    expect(outcome.headers.constructor).toBe('c');
    expect(outcome.headers['__proto__']).toBe('p');
    expect(outcome.headers['content-length']).toBe('2, 2');
  });

  it("reconnects rather than reuse a socket past the server's keep-alive hint", async () => {
    // Keep-Alive: timeout=1 → trusted for 0 s: a server about to close it would fail the request
    const server = await scripted([
      'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nKeep-Alive: timeout=60\r\nContent-Length: 0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n',
    ]);
    const connection = connectTo(server.port);
    await exchange(connection);
    await new Promise((r) => setTimeout(r, 20));
    await exchange(connection);
    expect(server.connections()).toBe(2);
    await new Promise((r) => setTimeout(r, 20));
    expect(await exchange(connection)).toMatchObject({ status: 200 });
    expect(server.connections()).toBe(2); // timeout=60: kept
  });

  it('a refused connection and a whole-request timeout are named as with undici', async () => {
    const free = await scripted([]);
    const port = free.port;
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const refused = await exchange(connectTo(port));
    expect(refused).toMatchObject({
      status: 0,
      error: 'ECONNREFUSED: connection refused',
      errorKind: 'refused',
    });

    const silent = await scripted([() => {}]);
    const connection = connectTo(silent.port);
    const pending = sent(connection, request({ headersTimeout: 500 }), keepAll);
    connection.expire(); // what the stage's deadline sweep does once the deadline passed
    expect(await pending).toMatchObject({
      status: 0,
      error: 'timeout after 0.5s',
      errorKind: 'timeout',
    });
  });

  it('bodies read by connections in turn stay each their own (every socket reads into one buffer)', async () => {
    const [a, b] = await Promise.all(
      ['first', 'second'].map((word) =>
        scripted(
          [`HTTP/1.1 200 OK\r\nContent-Length: ${word.length * 50}\r\n\r\n${word.repeat(50)}`],
          7,
        ),
      ),
    );
    const [first, second] = await Promise.all([
      exchange(connectTo(a!.port)),
      exchange(connectTo(b!.port)),
    ]);
    expect(first.text).toBe('first'.repeat(50));
    expect(second.text).toBe('second'.repeat(50));
  });

  it('a head that begins as the last one read but goes on is read whole (the memo knows only equal heads)', async () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 2';
    const server = await scripted([
      `${head}\r\n\r\nok`,
      `${head}\r\n\r\nok`,
      `${head}\r\nX-More: 1\r\n\r\nok`,
      `${head}0\r\n\r\n${'a'.repeat(20)}`,
      `${head}\r\n\r\nok`,
    ]);
    const connection = connectTo(server.port);
    const read = [];
    for (let i = 0; i < 5; i++) read.push(await exchange(connection));
    expect(read.map((r) => [r.status, r.text, r.headers['x-more'], r.error])).toEqual([
      [200, 'ok', undefined, undefined],
      [200, 'ok', undefined, undefined],
      [200, 'ok', '1', undefined],
      [200, 'a'.repeat(20), undefined, undefined],
      [200, 'ok', undefined, undefined],
    ]);
    expect(server.connections()).toBe(1);
  });

  it('calls back after the read that completed the response: bytes after it are not the next response', async () => {
    const server = await scripted([
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nextra',
      'HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond',
    ]);
    const connection = connectTo(server.port);
    // the next request is sent from inside the callback, as a virtual user does
    const texts = await new Promise<string[]>((resolve) =>
      connection.send(request(), keepAll, performance.now(), (outcome) => {
        const first = outcome.text;
        connection.send(request(), keepAll, performance.now(), (next) =>
          resolve([first, next.text]),
        );
      }),
    );
    expect(texts).toEqual(['ok', 'second']);
    expect(server.connections()).toBe(2); // the connection with unasked-for bytes was dropped
  });

  it('an exchange that ends before it goes out calls back on a later turn, not inside send', async () => {
    const connection = connectTo(1, { cancelled: true }); // the stage is over
    let calledBack: HttpOutcome | undefined;
    connection.send(request(), keepAll, performance.now(), (outcome) => (calledBack = outcome));
    expect(calledBack).toBeUndefined();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calledBack).toMatchObject({ status: 0, cancelled: true });
  });

  it('destroying it at the end of the stage ends the request in flight as cancelled', async () => {
    const silent = await scripted([() => {}]);
    const control = { cancelled: false };
    const connection = connectTo(silent.port, control);
    const pending = sent(connection, request(), keepAll);
    await new Promise((r) => setTimeout(r, 50));
    control.cancelled = true;
    connection.destroy();
    expect(await pending).toMatchObject({ status: 0, cancelled: true });
  });
});
