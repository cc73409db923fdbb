import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import { RequestTimeoutError, type Deadlines, type Expirable } from './deadlines.js';
import type { ErrorKind } from '../../model/run-result.js';
import { ExchangeOutcome, type HttpOutcome, type RequestFailure } from './exchange-outcome.js';
import type { PreparedRequest } from './prepared-request.js';

export type { HttpOutcome } from './exchange-outcome.js';

/** Set once the stage cancels its in-flight requests (by destroying its connections). */
export interface Cancellation {
  readonly cancelled: boolean;
}

/**
 * One keep-alive connection of one virtual user through undici (https targets and multipart
 * bodies; plain HTTP goes over `RawConnection`), one request at a time. It is its own undici
 * dispatch handler and its own outcome, reused for every request: no stream, no handler, no
 * outcome and no abort listener is allocated per request. `send` never rejects.
 */
export class HttpConnection
  extends ExchangeOutcome
  implements Dispatcher.DispatchHandler, Expirable
{
  /** When the request in flight times out as a whole (performance.now() ms); Infinity when idle. */
  deadline = Infinity;

  private request: PreparedRequest | undefined;
  private timeoutMs = 0;
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
    super();
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
    this.begin(request, keepBytes);
    this.request = request;
    this.timeoutMs = request.headersTimeout;
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
    this.responseStarted(statusCode, headers);
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.bodyReceived(chunk);
  }

  onResponseEnd(): void {
    if (!this.resolve) return;
    this.bodyEnded();
    this.settle();
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    if (!this.resolve) return;
    this.failedWith(describeNetworkError(error, this.timeoutMs, this.status), this.stage.cancelled);
    this.settle();
  }

  private settle(): void {
    const resolve = this.resolve;
    if (!resolve) return;
    this.resolve = undefined;
    this.request = undefined;
    this.controller = undefined;
    this.deadline = Infinity;
    resolve(this);
  }
}

/** Node's and undici's error codes: what each means, and its kind. */
const KNOWN_CODES = {
  ECONNREFUSED: { kind: 'refused', text: 'connection refused' },
  ECONNRESET: { kind: 'reset', text: 'connection reset by the server' },
  UND_ERR_SOCKET: { kind: 'closed', text: 'the server closed the connection' },
  UND_ERR_CONNECT_TIMEOUT: {
    kind: 'timeout',
    text: 'the server did not accept the connection in time',
  },
  EPIPE: { kind: 'reset', text: 'broken pipe' },
  ENOTFOUND: { kind: 'dns', text: 'host not found' },
  EAI_AGAIN: { kind: 'dns', text: 'host name lookup failed (temporary)' },
  EHOSTUNREACH: { kind: 'unreachable', text: 'host unreachable' },
  ENETUNREACH: { kind: 'unreachable', text: 'network unreachable' },
  ETIMEDOUT: { kind: 'timeout', text: 'connection timed out' },
} satisfies Record<string, { kind: ErrorKind; text: string }>;
const knownCodes: Partial<Record<string, { kind: ErrorKind; text: string }>> = KNOWN_CODES;

/** The kind of an error code without a text of its own. */
function kindOfCode(code: string | undefined): ErrorKind {
  if (code === undefined) return 'other';
  // llhttp's parse errors, and undici's own checks of a response's framing
  if (code.startsWith('HPE_') || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return 'protocol';
  if (/^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$)/.test(code)) {
    return 'tls';
  }
  if (code === 'UND_ERR_INVALID_ARG' || code === 'ERR_INVALID_CHAR') return 'request-build';
  return 'other';
}

/** The server closed the connection before the response was complete. */
export const SERVER_CLOSED: RequestFailure = {
  kind: 'closed',
  message: `UND_ERR_SOCKET: ${KNOWN_CODES.UND_ERR_SOCKET.text}`,
};

/** A request that got no complete response, from the error undici or a socket gave. */
export function describeNetworkError(
  error: unknown,
  timeoutMs: number,
  status: number,
): RequestFailure {
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
    return {
      kind: 'timeout',
      message: `timeout after ${timeoutMs / 1000}s${status ? ` (HTTP ${status}, body incomplete)` : ''}`,
    };
  }
  const known = code === undefined ? undefined : knownCodes[code];
  if (known) return { kind: known.kind, message: `${code}: ${known.text}` };
  const message = e.cause?.message ?? e.message ?? String(error);
  if (code?.startsWith('HPE_') || /does not match the HTTP/.test(message)) {
    return { kind: 'protocol', message: `invalid HTTP response: ${message}` };
  }
  return { kind: kindOfCode(code), message: code ? `${code}: ${message}` : message };
}
