import type { Dispatcher } from 'undici';
import type { Deadlines } from './deadlines.js';
import type { PreparedRequest } from './prepared-request.js';

export interface HttpOutcome {
  /** 0 when no HTTP response was received. */
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Body text, kept only when asked for (up to `keepBytes`). */
  text: string;
  truncated: boolean;
  bytesReceived: number;
  bytesSent: number;
  /** Network-level failure: "ECONNREFUSED: connection refused", "timeout after 30s". */
  error?: string;
  /** True when the request was cancelled by the end of the stage (not a failure). */
  cancelled: boolean;
}

const EMPTY_HEADERS: Record<string, string | string[] | undefined> = {};

/**
 * Sends one request with undici's low-level `dispatch` and a minimal handler: no stream and no
 * abort listener per request (the stage cancels by destroying its dispatcher). Bytes are
 * counted; the body text is kept only up to `keepBytes(status)` (captures, checks and failure
 * samples need it; the hot path does not). Never rejects.
 */
export function sendRequest(
  dispatcher: Dispatcher,
  request: PreparedRequest,
  options: {
    timeoutMs: number;
    keepBytes: (status: number) => number;
    isCancelled: () => boolean;
    /** Whole-request deadline (a trickling body never trips undici's per-chunk timeout). */
    deadlines?: Deadlines;
  },
): Promise<HttpOutcome> {
  const bytesSent =
    request.size ?? (typeof request.body === 'string' ? Buffer.byteLength(request.body) : 0);
  return new Promise((resolve) => {
    let status = 0;
    let headers = EMPTY_HEADERS;
    let bytesReceived = 0;
    let keep = 0;
    let kept = 0;
    let chunks: Buffer[] | undefined;
    let truncated = false;
    let settled = false;
    let untrack: (() => void) | undefined;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      untrack?.();
      resolve({
        status: 0,
        headers: EMPTY_HEADERS,
        text: '',
        truncated: false,
        bytesReceived: 0,
        bytesSent,
        error: describeNetworkError(error, options.timeoutMs, status),
        cancelled: options.isCancelled(),
      });
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        untrack = options.deadlines?.track(controller, options.timeoutMs);
      },
      onResponseStart(_controller, statusCode, responseHeaders) {
        if (statusCode < 200) return; // informational: the real response follows
        status = statusCode;
        headers = responseHeaders as Record<string, string | string[] | undefined>;
        keep = options.keepBytes(statusCode);
        if (keep > 0) chunks = [];
      },
      onResponseData(_controller, chunk) {
        bytesReceived += chunk.length;
        if (!chunks) return;
        if (kept < keep) {
          const take = Math.min(chunk.length, keep - kept);
          chunks.push(take < chunk.length ? chunk.subarray(0, take) : chunk);
          kept += take;
          if (take < chunk.length) truncated = true;
        } else truncated = true;
      },
      onResponseEnd() {
        if (settled) return;
        settled = true;
        untrack?.();
        resolve({
          status,
          headers,
          text: chunks ? Buffer.concat(chunks).toString('utf8') : '',
          truncated,
          bytesReceived,
          bytesSent,
          cancelled: false,
        });
      },
      onResponseError(_controller, error) {
        fail(error);
      },
    };
    try {
      dispatcher.dispatch(
        {
          origin: request.origin,
          path: request.path,
          method: request.method as Dispatcher.HttpMethod,
          headers: request.headers,
          body: request.body as Dispatcher.DispatchOptions['body'],
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
        },
        handler,
      );
    } catch (error) {
      fail(error);
    }
  });
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
    EPIPE: 'broken pipe',
    ENOTFOUND: 'host not found',
    EHOSTUNREACH: 'host unreachable',
    ETIMEDOUT: 'connection timed out',
  };
  if (code && known[code]) return `${code}: ${known[code]}`;
  const message = e.cause?.message ?? e.message ?? String(error);
  if (code?.startsWith('HPE_') || /does not match the HTTP/.test(message)) {
    return `invalid HTTP response: ${message}`;
  }
  return code ? `${code}: ${message}` : message;
}
