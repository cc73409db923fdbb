import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorKind } from '../model/run-result.js';
import type { HttpOutcome, PreparedRequest, RequestFailure } from './exchange.js';

const EMPTY_HEADERS: IncomingHttpHeaders = Object.freeze({});
const keepNothing = () => 0;

/**
 * The outcome of a connection's current exchange, reused for every request (no object per
 * request), whichever client fills it in (undici's dispatch or the raw socket): it counts the
 * body and keeps its text only up to `keepBytes(status)` (captures, checks and failure samples
 * need it; the hot path does not).
 */
export abstract class ExchangeOutcome implements HttpOutcome {
  status = 0;
  headers: IncomingHttpHeaders = EMPTY_HEADERS;
  text = '';
  truncated = false;
  bytesReceived = 0;
  bytesSent = 0;
  error: string | undefined = undefined;
  errorKind: ErrorKind | undefined = undefined;
  cancelled = false;

  private keepBytes: (status: number) => number = keepNothing;
  private keep = 0;
  private kept = 0;
  private chunks: Buffer[] | undefined;

  /** A new exchange: everything from the previous one is forgotten. */
  protected begin(request: PreparedRequest, keepBytes: (status: number) => number): void {
    this.keepBytes = keepBytes;
    this.status = 0;
    this.headers = EMPTY_HEADERS;
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

  /** The final response's status and headers (not an informational 1xx). */
  protected responseStarted(status: number, headers: IncomingHttpHeaders): void {
    this.status = status;
    this.headers = headers;
    this.keep = this.keepBytes(status);
    if (this.keep > 0) this.chunks = [];
  }

  protected bodyReceived(chunk: Buffer): void {
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
    this.headers = EMPTY_HEADERS;
    this.cancelled = cancelled;
    this.chunks = undefined;
  }
}
