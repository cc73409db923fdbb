import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { RequestTimeoutError, type Deadlines, type Expirable } from './deadlines.js';
import type { PreparedRequest } from './prepared-request.js';

/** What one request gave. Valid until the next request on the same connection. */
export interface HttpOutcome {
  /** 0 when no complete HTTP response was received. */
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Body text, kept only when asked for (up to `keepBytes`). */
  readonly text: string;
  readonly truncated: boolean;
  /** Response body bytes received, including those of a response cut short. */
  readonly bytesReceived: number;
  readonly bytesSent: number;
  /** Network-level failure: "ECONNREFUSED: connection refused", "timeout after 30s". */
  readonly error: string | undefined;
  /** True when the request was cancelled by the end of the stage (not a failure). */
  readonly cancelled: boolean;
}

/** Set once the stage cancels its in-flight requests (by destroying its connections). */
export interface Cancellation {
  readonly cancelled: boolean;
}

const EMPTY_HEADERS: IncomingHttpHeaders = Object.freeze({});
const keepNothing = () => 0;

/**
 * One keep-alive connection of one virtual user, one request at a time (like autocannon's
 * per-connection client). It is its own undici dispatch handler and its own outcome, reused
 * for every request: no stream, no handler, no outcome and no abort listener is allocated per
 * request. Bytes are counted; the body text is kept only up to `keepBytes(status)` (captures,
 * checks and failure samples need it; the hot path does not). `send` never rejects.
 */
export class HttpConnection implements Dispatcher.DispatchHandler, HttpOutcome, Expirable {
  status = 0;
  headers: IncomingHttpHeaders = EMPTY_HEADERS;
  text = '';
  truncated = false;
  bytesReceived = 0;
  bytesSent = 0;
  error: string | undefined = undefined;
  cancelled = false;
  /** When the request in flight times out as a whole (performance.now() ms); Infinity when idle. */
  deadline = Infinity;

  private request: PreparedRequest | undefined;
  private timeoutMs = 0;
  private keepBytes: (status: number) => number = keepNothing;
  private keep = 0;
  private kept = 0;
  private chunks: Buffer[] | undefined;
  private controller: Dispatcher.DispatchController | undefined;
  private resolve: ((outcome: HttpOutcome) => void) | undefined;
  private readonly start = (resolve: (outcome: HttpOutcome) => void) => {
    this.resolve = resolve;
    try {
      this.dispatcher.dispatch(this.request as Dispatcher.DispatchOptions, this);
    } catch (error) {
      this.onResponseError(undefined, error as Error);
    }
  };

  constructor(
    private readonly dispatcher: Dispatcher,
    private readonly stage: Cancellation,
    deadlines?: Deadlines,
  ) {
    deadlines?.add(this);
  }

  /**
   * Sends `request` (its headersTimeout/bodyTimeout are the step's timeout; `startedAt`, in
   * performance.now() ms, starts the whole-request deadline).
   */
  send(
    request: PreparedRequest,
    keepBytes: (status: number) => number,
    startedAt: number,
  ): Promise<HttpOutcome> {
    this.request = request;
    this.timeoutMs = request.headersTimeout;
    this.keepBytes = keepBytes;
    this.status = 0;
    this.headers = EMPTY_HEADERS;
    this.text = '';
    this.truncated = false;
    this.bytesReceived = 0;
    this.bytesSent = request.bytesSent;
    this.error = undefined;
    this.cancelled = false;
    this.keep = 0;
    this.kept = 0;
    this.chunks = undefined;
    this.deadline = startedAt + request.headersTimeout;
    return new Promise(this.start);
  }

  /** Called by the stage's deadline sweep once `deadline` has passed. */
  expire(): void {
    const controller = this.controller;
    if (!controller) return; // still connecting: undici's connect timeout applies
    this.deadline = Infinity;
    controller.abort(new RequestTimeoutError(`timeout after ${this.timeoutMs / 1000}s`));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    if (statusCode < 200) return; // informational: the real response follows
    this.status = statusCode;
    this.headers = headers;
    this.keep = this.keepBytes(statusCode);
    if (this.keep > 0) this.chunks = [];
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bytesReceived += chunk.length;
    const chunks = this.chunks;
    if (!chunks) return;
    const room = this.keep - this.kept;
    if (room <= 0) {
      this.truncated = true;
    } else if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      this.kept = this.keep;
      this.truncated = true;
    } else {
      chunks.push(chunk);
      this.kept += chunk.length;
    }
  }

  onResponseEnd(): void {
    if (!this.resolve) return;
    if (this.chunks) this.text = Buffer.concat(this.chunks).toString('utf8');
    this.settle();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (!this.resolve) return;
    this.error = describeNetworkError(error, this.timeoutMs, this.status);
    this.status = 0;
    this.headers = EMPTY_HEADERS;
    this.cancelled = this.stage.cancelled;
    this.settle();
  }

  private settle(): void {
    const resolve = this.resolve;
    if (!resolve) return;
    this.resolve = undefined;
    this.request = undefined;
    this.controller = undefined;
    this.chunks = undefined;
    this.deadline = Infinity;
    resolve(this);
  }
}

export function describeNetworkError(error: unknown, timeoutMs: number, status: number): string {
  const e = error as {
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  const code = e.code ?? e.cause?.code;
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'LOADGATE_REQUEST_TIMEOUT'
  ) {
    return `timeout after ${timeoutMs / 1000}s${status ? ` (HTTP ${status}, body incomplete)` : ''}`;
  }
  const known: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset by the server',
    UND_ERR_SOCKET: 'the server closed the connection',
    UND_ERR_CONNECT_TIMEOUT: 'the server did not accept the connection in time',
    EPIPE: 'broken pipe',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'host name lookup failed (temporary)',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
  };
  if (code && known[code]) return `${code}: ${known[code]}`;
  const message = e.cause?.message ?? e.message ?? String(error);
  if (code?.startsWith('HPE_') || /does not match the HTTP/.test(message)) {
    return `invalid HTTP response: ${message}`;
  }
  return code ? `${code}: ${message}` : message;
}
