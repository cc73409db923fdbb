import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher, FormData } from 'undici';
import type { ErrorKind } from '../model/run-result.js';

/** A request ready for undici: it is passed to `dispatch` as it is. */
export interface PreparedRequest {
  origin: string;
  path: string;
  method: Dispatcher.HttpMethod;
  headers: Record<string, string>;
  /** The step's timeout, for undici (headers, then between body chunks) and the whole request. */
  headersTimeout: number;
  bodyTimeout: number;
  /** A static body is encoded once; a multipart body is a fresh FormData per request. */
  body?: Buffer | string | FormData;
  /** Bytes of the body. */
  bytesSent: number;
}

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
  /** What kind of failure `error` is, set where it happened. */
  readonly errorKind: ErrorKind | undefined;
  /** True when the request was cancelled by the end of the stage (not a failure). */
  readonly cancelled: boolean;
  /** When the exchange ended, in performance.now() ms (its latency ends there). */
  readonly endedAt: number;
}

/** Why a request failed: its kind, for decisions, and the message people read. */
export interface RequestFailure {
  readonly kind: ErrorKind;
  readonly message: string;
}

/** Set once the stage cancels its in-flight requests (by destroying its connections). */
export interface Cancellation {
  readonly cancelled: boolean;
}
