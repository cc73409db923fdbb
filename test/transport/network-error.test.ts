import { describe, expect, it } from 'vitest';
import { describeNetworkError } from '../../src/transport/network-error.js';

describe('network error messages and kinds', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, 0, 'refused', 'ECONNREFUSED: connection refused'],
    [{ cause: { code: 'ECONNRESET' } }, 0, 'reset', 'ECONNRESET: connection reset by the server'],
    [{ code: 'EPIPE' }, 0, 'reset', 'EPIPE: broken pipe'],
    [{ code: 'UND_ERR_SOCKET' }, 0, 'closed', 'UND_ERR_SOCKET: the server closed the connection'],
    [{ code: 'UND_ERR_HEADERS_TIMEOUT' }, 0, 'timeout', 'timeout after 30s'],
    [
      { code: 'UND_ERR_BODY_TIMEOUT' },
      200,
      'timeout',
      'timeout after 30s (HTTP 200, body incomplete)',
    ],
    [
      { code: 'UND_ERR_CONNECT_TIMEOUT' },
      0,
      'timeout',
      'UND_ERR_CONNECT_TIMEOUT: the server did not accept the connection in time',
    ],
    [{ code: 'ENOTFOUND' }, 0, 'dns', 'ENOTFOUND: host not found'],
    [{ code: 'EHOSTUNREACH' }, 0, 'unreachable', 'EHOSTUNREACH: host unreachable'],
    [
      { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' },
      0,
      'tls',
      'DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate',
    ],
    [
      { code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'Hostname/IP does not match' },
      0,
      'tls',
      'ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match',
    ],
    [
      { code: 'HPE_INVALID_CONSTANT', message: 'Expected HTTP/' },
      0,
      'protocol',
      'invalid HTTP response: Expected HTTP/',
    ],
    [
      { code: 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH', message: 'body length mismatch' },
      200,
      'protocol',
      'UND_ERR_RES_CONTENT_LENGTH_MISMATCH: body length mismatch',
    ],
    [
      { code: 'UND_ERR_INVALID_ARG', message: 'invalid header' },
      0,
      'request-build',
      'UND_ERR_INVALID_ARG: invalid header',
    ],
    [{ code: 'EWHATEVER', message: 'odd' }, 0, 'other', 'EWHATEVER: odd'],
    [new Error('plain'), 0, 'other', 'plain'],
  ])('%j → %s: %s', (error, status, kind, message) => {
    expect(describeNetworkError(error, 30_000, status)).toEqual({ kind, message });
  });
});
