import type { IncomingHttpHeaders } from 'node:http';
import net from 'node:net';
import type { Deadlines } from './deadlines.js';
import type { Cancellation, PreparedRequest, RequestFailure } from './exchange.js';
import { ExchangeOutcome, type OutcomeCallback } from './exchange-outcome.js';
import { HeadBuffer } from './head-buffer.js';
import { HeadMemo } from './head-memo.js';
import { describeNetworkError, SERVER_CLOSED } from './network-error.js';
import { isHeaderValue, isToken } from './request-fields.js';
import { addHeader, FramingHeaders, VALID_HEAD } from './response-head.js';

/** A response head longer than this is refused (undici's default maximum is 16 KiB too). */
const MAX_HEAD_BYTES = 64 * 1024;
/** Methods whose request carries a length even when empty, as undici sends them. */
const LENGTH_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The one buffer every raw socket reads into (`onread`: no stream, no new buffer per read). A
 * read is parsed before the next one can come, and what outlives it (a head split across reads,
 * kept body bytes) is copied out of it.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** The last head read (every raw connection's). */
const HEAD_MEMO = new HeadMemo();

/** The serialized head of a request, cached for requests that are reused as they are. */
const heads = new WeakMap<PreparedRequest, Buffer>();

type Body = 'length' | 'chunked' | 'close';

/**
 * One keep-alive HTTP/1.1 connection of one virtual user on a raw socket, one request at a time,
 * like autocannon's client: the request head is serialized once per prepared request (a static
 * step is serialized once per stage), the response is parsed in place and its body is counted,
 * kept only up to `keepBytes(status)`. Plain `http:` only; same outcome as `HttpConnection`.
 */
export class RawConnection extends ExchangeOutcome {
  private socket: net.Socket | undefined;
  private request: PreparedRequest | undefined;
  private isHead = false;
  // response parser state
  private readonly head = new HeadBuffer();
  private body: Body | undefined;
  private remaining = 0;
  private chunkPhase: 'size' | 'data' | 'crlf' | 'trailer' = 'size';
  private line = '';
  private keepAlive = true;
  private idleTimeoutMs = 4000;
  /** The Keep-Alive header `idleTimeoutMs` was read from. */
  private keepAliveHint: string | undefined;
  /** The framing headers of a head read line by line (one object, filled in for each). */
  private readonly framing = new FramingHeaders();
  /** performance.now() after which the idle socket may be closing server-side: reconnect. */
  private idleUntil = Infinity;

  constructor(
    private readonly host: string,
    private readonly port: number,
    /** The Host header: `url.host` (port when not 80, brackets around IPv6). */
    private readonly hostHeader: string,
    stage: Cancellation,
    deadlines?: Deadlines,
  ) {
    super(stage, deadlines);
  }

  /** Sends `request`; `done` is called with the outcome (never before `send` returned). */
  send(
    request: PreparedRequest,
    keepBytes: (status: number) => number,
    startedAt: number,
    done: OutcomeCallback,
  ): void {
    this.request = request;
    this.isHead = request.method === 'HEAD';
    this.head.clear();
    this.body = undefined;
    this.keepAlive = true;
    this.exchange(request, keepBytes, startedAt, done);
  }

  protected dispatch(): void {
    if (this.stage.cancelled) {
      this.failWith({ kind: 'other', message: 'the stage ended' });
      return;
    }
    if (this.socket && this.startedAt > this.idleUntil) this.drop();
    const socket = this.socket ?? this.open();
    socket.write(serialize(this.request as PreparedRequest, this.hostHeader));
  }

  expire(): void {
    this.deadline = Infinity;
    this.fail(this.timeoutError());
  }

  /** Ends the connection; a request in flight ends as cancelled (the stage is over). */
  destroy(): void {
    this.socket?.destroy();
  }

  private open(): net.Socket {
    const socket: net.Socket = net.connect({
      host: this.host,
      port: this.port,
      noDelay: true,
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes: number, buffer: Uint8Array) => {
          this.busyReading();
          this.onData(socket, (buffer as Buffer).subarray(0, bytes));
          this.idle();
          return true;
        },
      },
    });
    let socketError: Error | undefined;
    socket.on('error', (error) => (socketError = error));
    socket.on('close', () => {
      // a socket given up on (failed, Connection: close) closes late: it concerns nobody
      if (this.socket !== socket) return;
      this.socket = undefined;
      if (!this.inFlight) return;
      if (this.body === 'close' && !socketError) this.complete();
      else if (socketError) this.fail(socketError);
      else this.failWith(SERVER_CLOSED);
    });
    this.socket = socket;
    return socket;
  }

  /** One read of the socket, parsed where it lies (offsets into it, no view per piece). */
  private onData(socket: net.Socket, data: Buffer): void {
    if (!this.inFlight || socket !== this.socket) {
      // bytes nobody asked for: the connection cannot be trusted
      if (socket === this.socket) this.drop();
      else socket.destroy();
      return;
    }
    let bytes = data;
    let at = 0;
    while (at < bytes.length && this.inFlight) {
      if (this.body === undefined) {
        const end = this.head.push(at === 0 ? bytes : bytes.subarray(at));
        if (end < 0) {
          if (this.head.size > MAX_HEAD_BYTES)
            this.invalid('HPE_HEADER_OVERFLOW', 'Header overflow');
          return;
        }
        // the read itself, or the head's own buffer when it came in pieces: the body follows
        bytes = this.head.bytes();
        if (!this.onHead(bytes, end)) return;
        at = end + 4;
        continue;
      }
      if (this.body === 'length') {
        const take = Math.min(this.remaining, bytes.length - at);
        this.bodyReceived(bytes, at, at + take);
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) this.complete();
        continue;
      }
      if (this.body === 'close') {
        this.bodyReceived(bytes, at, bytes.length);
        return;
      }
      at = this.onChunked(bytes, at);
    }
    // anything left once the response is complete was not asked for
    if (at < bytes.length && !this.inFlight && socket === this.socket) this.drop();
  }

  /**
   * Parses the status line and headers of `bytes[0, end)`; false when the response was refused.
   * A head that one linear pattern finds valid (the usual case) is read for what framing needs,
   * its headers are parsed only when asked for (and a head the same as the last one is not read
   * again: `HeadMemo`); any other goes through the line-by-line checks, which accept it the same
   * or name what is wrong.
   */
  private onHead(bytes: Buffer, end: number): boolean {
    const memo = HEAD_MEMO;
    if (!memo.matches(bytes, end)) {
      const head = bytes.toString('latin1', 0, end);
      if (!VALID_HEAD.test(head)) return this.onOtherHead(head);
      const status = Number(head.slice(9, 12));
      if (status < 200) return this.informational(status);
      memo.remember(bytes, end, head, status);
    }
    this.responseStarted(memo.status, memo.text);
    return this.framed(memo.status, memo.http11, memo.framing);
  }

  /** The line-by-line parse of a head the pattern did not accept. */
  private onOtherHead(head: string): boolean {
    const lines = head.split('\r\n');
    const match = /^HTTP\/1\.([01]) (\d{3})(?: |$)/.exec(lines[0] ?? '');
    if (!match) {
      this.invalid('HPE_INVALID_CONSTANT', 'Expected HTTP/');
      return false;
    }
    const status = Number(match[2]);
    // no prototype: a `constructor` or `__proto__` header is a header like any other
    const headers = Object.create(null) as IncomingHttpHeaders;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(':');
      if (colon <= 0) {
        this.invalid('HPE_INVALID_HEADER_TOKEN', 'Invalid header value char');
        return false;
      }
      const field = line.slice(0, colon);
      // no space before the colon, no folded line: "Transfer-Encoding : chunked" is refused
      if (!isToken(field)) {
        this.invalid('HPE_INVALID_HEADER_TOKEN', `Invalid header token ${JSON.stringify(field)}`);
        return false;
      }
      const value = line.slice(colon + 1).trim();
      // like llhttp: a value is HTAB, visible ASCII and obs-text; a bare CR/LF or NUL smuggles
      if (!isHeaderValue(value)) {
        this.invalid('HPE_INVALID_HEADER_TOKEN', `Invalid header value char in ${field}`);
        return false;
      }
      addHeader(headers, field.toLowerCase(), value);
    }
    if (status < 200) return this.informational(status);
    this.responseStarted(status, headers);
    this.framing.readHeaders(headers);
    return this.framed(status, match[1] === '1', this.framing);
  }

  /** A 1xx: the real response follows; 101 switches protocols, which a load test cannot follow. */
  private informational(status: number): boolean {
    if (status !== 101) return true;
    this.invalid('HPE_UPGRADE', 'the server switched protocols');
    return false;
  }

  /** Keep-alive and body framing from the response's framing headers. */
  private framed(status: number, http11: boolean, headers: FramingHeaders): boolean {
    const connection = (headers.connection ?? '').toLowerCase();
    this.keepAlive = http11 ? !connection.includes('close') : connection.includes('keep-alive');
    // like undici: trust an idle socket for the server's keep-alive hint less a second, else 4 s
    // (read again only when it changed: a server repeats it on every response)
    const hint = headers.keepAlive;
    if (hint !== this.keepAliveHint) {
      this.keepAliveHint = hint;
      const seconds = /timeout=(\d+)/i.exec(hint ?? '')?.[1];
      this.idleTimeoutMs = seconds ? Math.max(0, Number(seconds) * 1000 - 1000) : 4000;
    }
    const framing = bodyFraming(headers);
    if ('code' in framing) {
      this.invalid(framing.code, framing.message);
      return false;
    }
    if (this.isHead || status === 204 || status === 304) {
      this.body = 'length';
      this.remaining = 0;
      this.complete();
    } else if (framing.chunked) {
      this.body = 'chunked';
      this.chunkPhase = 'size';
      this.line = '';
    } else if (framing.length !== undefined) {
      this.body = 'length';
      this.remaining = framing.length;
      if (framing.length === 0) this.complete();
    } else {
      this.body = 'close';
      this.keepAlive = false;
    }
    return true;
  }

  /** Chunked transfer encoding from `bytes[at]`; returns where what it consumed ends. */
  private onChunked(bytes: Buffer, at: number): number {
    if (this.chunkPhase === 'data') {
      const take = Math.min(this.remaining, bytes.length - at);
      this.bodyReceived(bytes, at, at + take);
      this.remaining -= take;
      if (this.remaining === 0) {
        this.chunkPhase = 'crlf';
        this.line = '';
      }
      return at + take;
    }
    // size, crlf and trailer phases read lines
    const newline = bytes.indexOf(10, at);
    this.line += bytes.toString('latin1', at, newline < 0 ? bytes.length : newline + 1);
    if (this.line.length > 1024) {
      this.invalid('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size');
      return bytes.length;
    }
    if (newline < 0) return bytes.length;
    const line = this.line.replace(/\r?\n$/, '');
    this.line = '';
    const rest = newline + 1;
    if (this.chunkPhase === 'crlf') {
      if (line !== '') this.invalid('HPE_STRICT', 'Expected CRLF after chunk');
      else this.chunkPhase = 'size';
      return rest;
    }
    if (this.chunkPhase === 'trailer') {
      if (line === '') this.complete();
      return rest;
    }
    const hex = (line.split(';')[0] as string).trim(); // chunk extensions are ignored
    const size = parseInt(hex, 16);
    if (!/^[0-9a-fA-F]+$/.test(hex)) {
      this.invalid('HPE_INVALID_CHUNK_SIZE', 'Invalid character in chunk size');
      return bytes.length;
    }
    if (!Number.isSafeInteger(size)) {
      // llhttp refuses a size past 2^64; a body past 2^53 bytes cannot be counted anyway
      this.invalid('HPE_INVALID_CHUNK_SIZE', `Chunk size overflow (${hex.length} hex digits)`);
      return bytes.length;
    }
    if (size === 0) this.chunkPhase = 'trailer';
    else {
      this.chunkPhase = 'data';
      this.remaining = size;
    }
    return rest;
  }

  private complete(): void {
    this.bodyEnded();
    const now = performance.now();
    if (this.keepAlive) this.idleUntil = now + this.idleTimeoutMs;
    else this.drop();
    this.settle(now);
  }

  /** Gives the socket up: its late `close` then concerns nobody. */
  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    this.idleUntil = Infinity;
    socket?.destroy();
  }

  /** A response that is not valid HTTP; `_code` is llhttp's name for the same error. */
  private invalid(_code: string, message: string): void {
    this.failWith({ kind: 'protocol', message: `invalid HTTP response: ${message}` });
  }

  /** A socket error or the request's timeout. */
  private fail(error: unknown): void {
    this.failWith(describeNetworkError(error, this.timeoutMs, this.status));
  }

  private failWith(failure: RequestFailure): void {
    if (!this.inFlight) return;
    this.failedWith(failure, this.stage.cancelled);
    this.drop(); // a failed exchange leaves the connection in an unknown state
    this.settle();
  }

  protected override settle(endedAt?: number): void {
    this.request = undefined;
    this.head.clear();
    this.body = undefined;
    super.settle(endedAt);
  }
}

const DIGITS = /^\d+$/;

/** A response refused by the parser: an llhttp error code and its message. */
interface ProtocolError {
  code: string;
  message: string;
}
const BOTH_LENGTHS: ProtocolError = {
  code: 'HPE_UNEXPECTED_CONTENT_LENGTH',
  message: "Content-Length can't be present with Transfer-Encoding",
};
const NOT_CHUNKED: ProtocolError = {
  code: 'HPE_INVALID_TRANSFER_ENCODING',
  message: 'Transfer-Encoding must end with chunked, once (a body read until the close is refused)',
};
const BAD_LENGTH: ProtocolError = {
  code: 'HPE_INVALID_CONTENT_LENGTH',
  message: 'Invalid character in Content-Length',
};
const DIFFERING_LENGTHS: ProtocolError = {
  code: 'HPE_UNEXPECTED_CONTENT_LENGTH',
  message: 'Duplicate Content-Length with differing values',
};

/**
 * How a response's body is delimited, as strictly as llhttp: Content-Length with
 * Transfer-Encoding, a Transfer-Encoding whose final coding is not `chunked` (RFC 9112 would
 * read it until the close; refused, as the simplest and safe choice) and differing
 * Content-Length values are refused: each is how a smuggled response gets through.
 */
export function bodyFraming(
  headers: FramingHeaders,
): { chunked: boolean; length: number | undefined } | ProtocolError {
  const transfer = headers.transferEncoding;
  const lengths = headers.contentLength;
  if (transfer !== undefined && lengths !== undefined) return BOTH_LENGTHS;
  if (transfer !== undefined) {
    // several headers were joined with ", ": `chunked` must come once, last
    const codings = transfer.toLowerCase().split(',');
    const last = codings.length - 1;
    for (let i = 0; i <= last; i++) {
      if (((codings[i] as string).trim() === 'chunked') !== (i === last)) return NOT_CHUNKED;
    }
    return { chunked: true, length: undefined };
  }
  if (lengths === undefined) return { chunked: false, length: undefined };
  // repeated headers were joined with ", ": the same value repeated is that value (RFC 9110)
  let n: number | undefined;
  for (let from = 0; from <= lengths.length;) {
    const comma = lengths.indexOf(',', from);
    const end = comma < 0 ? lengths.length : comma;
    const text = lengths.slice(from, end).trim();
    const next = Number(text);
    if (!DIGITS.test(text) || !Number.isSafeInteger(next)) return BAD_LENGTH;
    if (n !== undefined && next !== n) return DIFFERING_LENGTHS;
    n = next;
    from = end + 1;
  }
  return { chunked: false, length: n };
}

/** The request's bytes: head (cached per prepared request) and body. */
function serialize(request: PreparedRequest, hostHeader: string): Buffer {
  let head = heads.get(request);
  if (!head) {
    const lines = [`${request.method} ${request.path} HTTP/1.1`];
    let hasHost = false;
    for (const [name, value] of Object.entries(request.headers)) {
      const lower = name.toLowerCase();
      if (lower === 'host') hasHost = true;
      if (lower === 'content-length' || lower === 'connection') continue;
      lines.push(`${name}: ${value}`);
    }
    if (!hasHost) lines.splice(1, 0, `host: ${hostHeader}`);
    const body = request.body;
    const length =
      typeof body === 'string' ? Buffer.byteLength(body) : Buffer.isBuffer(body) ? body.length : 0;
    if (length > 0 || LENGTH_METHODS.has(request.method)) lines.push(`content-length: ${length}`);
    head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
    heads.set(request, head);
  }
  const body = request.body;
  if (body === undefined || (typeof body === 'string' && body.length === 0)) return head;
  return Buffer.concat([head, typeof body === 'string' ? Buffer.from(body) : (body as Buffer)]);
}
