import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorKind } from '../model/run-result.js';
import { RequestTimeoutError, type Deadlines, type Expirable } from './deadlines.js';
import type { Cancellation, HttpOutcome, PreparedRequest, RequestFailure } from './exchange.js';
import { headerLines } from './response-head.js';

const EMPTY_HEADERS: IncomingHttpHeaders = Object.freeze({});
const keepNothing = () => 0;

/** Called once with the outcome when an exchange ends (valid until the next one begins). */
export type OutcomeCallback = (outcome: HttpOutcome) => void;

/**
 * A connection's exchange in flight and its outcome, reused for every request (no object, no
 * promise, no closure per request), whichever client fills it in (undici's dispatch or the raw
 * socket): `exchange` begins one, `settle` ends it and calls its callback; the stage's deadline
 * sweep expires it. It counts the body and keeps its text only up to `keepBytes(status)`
 * (captures, checks and failure samples need it; the hot path does not).
 */
export abstract class ExchangeOutcome implements HttpOutcome, Expirable {
  status = 0;
  text = '';
  truncated = false;
  bytesReceived = 0;
  bytesSent = 0;
  error: string | undefined = undefined;
  errorKind: ErrorKind | undefined = undefined;
  cancelled = false;
  endedAt = 0;
  /** When the exchange in flight times out as a whole (performance.now() ms); Infinity when idle. */
  deadline = Infinity;

  /** The step's timeout (ms): the whole-request deadline, and what its error says. */
  protected timeoutMs = 0;
  /** When the exchange in flight began (performance.now() ms). */
  protected startedAt = 0;
  private done: OutcomeCallback | undefined;
  /** True while the connection sends or reads: an exchange settled meanwhile calls back after. */
  private busy = false;
  /** The callback of an exchange settled while busy. */
  private pending: OutcomeCallback | undefined;
  private parsedHeaders: IncomingHttpHeaders = EMPTY_HEADERS;
  /** A valid head whose headers nobody has asked for yet (most responses: none will). */
  private unparsedHead: string | undefined;
  private keepBytes: (status: number) => number = keepNothing;
  private keep = 0;
  private kept = 0;
  private chunks: Buffer[] | undefined;

  /** The response's headers, lower-case names (parsed from the head on first use). */
  get headers(): IncomingHttpHeaders {
    if (this.unparsedHead !== undefined) {
      this.parsedHeaders = headerLines(this.unparsedHead);
      this.unparsedHead = undefined;
    }
    return this.parsedHeaders;
  }

  /**
   * Forgets the response once it was read (its head, its kept body): a user thinking for a
   * second between requests would otherwise hold them through the young generation's
   * collections, each of which copies what is still held (10,000 users: most of its pause).
   */
  release(): void {
    this.parsedHeaders = EMPTY_HEADERS;
    this.unparsedHead = undefined;
    this.text = '';
  }

  constructor(
    /** The stage's: once cancelled, an exchange that ends is cancelled, not failed. */
    protected readonly stage: Cancellation,
    deadlines?: Deadlines,
  ) {
    deadlines?.add(this);
  }

  /** Called by the stage's deadline sweep once `deadline` has passed. */
  abstract expire(): void;

  /** Sends the request of the exchange just begun. */
  protected abstract dispatch(): void;

  /**
   * Begins an exchange (everything from the previous one is forgotten; `startedAt`, in
   * performance.now() ms, starts the whole-request deadline) and dispatches it; `done` is called
   * with this outcome once `settle` ends it, never before `exchange` returned. Throws only what
   * dispatching itself threw (a bug), and then never calls back.
   */
  protected exchange(
    request: PreparedRequest,
    keepBytes: (status: number) => number,
    startedAt: number,
    done: OutcomeCallback,
  ): void {
    this.begin(request, keepBytes);
    this.timeoutMs = request.headersTimeout;
    this.startedAt = startedAt;
    this.deadline = startedAt + request.headersTimeout;
    this.done = done;
    this.busy = true;
    this.dispatch();
    this.busy = false;
    const settled = this.pending;
    if (!settled) return;
    // ended before it went out (the stage was over, the client refused it): called back on the
    // next turn of the event loop, or a user failing so every time would never let timers run
    this.pending = undefined;
    setImmediate(settled, this);
  }

  /**
   * The connection reads (a socket's data) until `idle`: an exchange it settles meanwhile calls
   * back once the read is over, so a next request never begins inside the last response's read.
   */
  protected busyReading(): void {
    this.busy = true;
  }

  /** The read is over: the callback of an exchange it settled runs now. */
  protected idle(): void {
    this.busy = false;
    const done = this.pending;
    if (!done) return;
    this.pending = undefined;
    done(this);
  }

  /** True while an exchange is in flight (begun, not settled). */
  protected get inFlight(): boolean {
    return this.done !== undefined;
  }

  /**
   * Ends the exchange in flight at `endedAt` (performance.now() ms; a caller that just read the
   * clock passes it) and calls its callback (after the send or read under way).
   */
  protected settle(endedAt = performance.now()): void {
    const done = this.done;
    if (!done) return;
    this.done = undefined;
    this.endedAt = endedAt;
    this.deadline = Infinity;
    if (this.busy) this.pending = done;
    else done(this);
  }

  /** The whole-request timeout, as `expire` reports it. */
  protected timeoutError(): RequestTimeoutError {
    return new RequestTimeoutError(`timeout after ${this.timeoutMs / 1000}s`);
  }

  /** A new exchange: everything from the previous one is forgotten. */
  private begin(request: PreparedRequest, keepBytes: (status: number) => number): void {
    this.keepBytes = keepBytes;
    this.status = 0;
    this.parsedHeaders = EMPTY_HEADERS;
    this.unparsedHead = undefined;
    this.text = '';
    this.truncated = false;
    this.bytesReceived = 0;
    this.bytesSent = request.bytesSent;
    this.error = undefined;
    this.errorKind = undefined;
    this.cancelled = false;
    this.keep = 0;
    this.kept = 0;
    this.chunks = undefined;
  }

  /**
   * The final response's status and headers (not an informational 1xx): parsed, or the head
   * they are in, already found valid, to parse if they are asked for.
   */
  protected responseStarted(status: number, headers: IncomingHttpHeaders | string): void {
    this.status = status;
    if (typeof headers === 'string') {
      this.unparsedHead = headers;
      this.parsedHeaders = EMPTY_HEADERS;
    } else {
      this.unparsedHead = undefined;
      this.parsedHeaders = headers;
    }
    this.keep = this.keepBytes(status);
    if (this.keep > 0) this.chunks = [];
  }

  /**
   * Counts `chunk[start, end)`, a piece of the body, and keeps a copy of what is kept (a raw
   * socket reads every response into the same buffer).
   */
  protected bodyReceived(chunk: Buffer, start: number, end: number): void {
    const length = end - start;
    this.bytesReceived += length;
    const chunks = this.chunks;
    if (!chunks) return;
    const room = this.keep - this.kept;
    if (room <= 0) {
      this.truncated = true;
    } else if (length > room) {
      chunks.push(Buffer.from(chunk.subarray(start, start + room)));
      this.kept = this.keep;
      this.truncated = true;
    } else {
      chunks.push(Buffer.from(chunk.subarray(start, end)));
      this.kept += length;
    }
  }

  /** The response is complete: the kept bytes become its text. */
  protected bodyEnded(): void {
    if (this.chunks) this.text = Buffer.concat(this.chunks).toString('utf8');
    this.chunks = undefined;
  }

  /** The exchange failed: no response counts, whatever had arrived. */
  protected failedWith(failure: RequestFailure, cancelled: boolean): void {
    this.error = failure.message;
    this.errorKind = failure.kind;
    this.status = 0;
    this.parsedHeaders = EMPTY_HEADERS;
    this.unparsedHead = undefined;
    this.cancelled = cancelled;
    this.chunks = undefined;
  }
}
