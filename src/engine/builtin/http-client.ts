import type { Dispatcher } from 'undici';
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
 * Sends one request through the stage's dispatcher and reads the whole response, counting
 * bytes; the text is kept only up to `keepBytes` (captures and failure samples need it, the hot
 * path does not). Never throws.
 */
export async function sendRequest(
  dispatcher: Dispatcher,
  request: PreparedRequest,
  options: { timeoutMs: number; keepBytes: (status: number) => number; signal: AbortSignal },
): Promise<HttpOutcome> {
  const bytesSent =
    request.size ?? (typeof request.body === 'string' ? Buffer.byteLength(request.body) : 0);
  let status = 0;
  try {
    const response = await dispatcher.request({
      origin: request.origin,
      path: request.path,
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers,
      body: request.body,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
      signal: options.signal,
    });
    status = response.statusCode;
    const keep = options.keepBytes(status);
    let bytesReceived = 0;
    let text = '';
    let truncated = false;
    if (keep === 0) {
      for await (const chunk of response.body) bytesReceived += (chunk as Buffer).length;
    } else {
      const chunks: Buffer[] = [];
      let kept = 0;
      for await (const chunk of response.body) {
        const buffer = chunk as Buffer;
        bytesReceived += buffer.length;
        if (kept < keep) {
          chunks.push(kept + buffer.length > keep ? buffer.subarray(0, keep - kept) : buffer);
          kept += Math.min(buffer.length, keep - kept);
        } else truncated = true;
      }
      text = Buffer.concat(chunks).toString('utf8');
    }
    return {
      status,
      headers: response.headers,
      text,
      truncated,
      bytesReceived,
      bytesSent,
      cancelled: false,
    };
  } catch (error) {
    const cancelled = options.signal.aborted;
    return {
      status: 0,
      headers: EMPTY_HEADERS,
      text: '',
      truncated: false,
      bytesReceived: 0,
      bytesSent,
      error: describeNetworkError(error, options.timeoutMs, status),
      cancelled,
    };
  }
}

export function describeNetworkError(error: unknown, timeoutMs: number, status: number): string {
  const e = error as {
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  const code = e.code ?? e.cause?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
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
    HPE_INVALID_CONSTANT: 'invalid HTTP response',
  };
  if (code && known[code]) return `${code}: ${known[code]}`;
  const message = e.cause?.message ?? e.message ?? String(error);
  return code ? `${code}: ${message}` : message;
}
