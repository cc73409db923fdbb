import type { ErrorKind } from '../model/run-result.js';
import type { RequestFailure } from './exchange.js';

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
