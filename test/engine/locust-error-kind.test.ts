import { describe, expect, it } from 'vitest';
import { parseLocustError } from '../../src/engine/locust/locust-csv.js';
import { locustErrorKind } from '../../src/engine/locust/locust-error-kind.js';

// Locust's failure strings as its failures CSV holds them (the repr of the exception, with
// Locust's own unwrapping of connection errors); the connection errors were produced by
// requests against loopback servers that refuse, reset, close, answer garbage or stay silent.
describe('the kind of a Locust failure', () => {
  it.each([
    ["ConnectionRefusedError(111, 'Connection refused')", 'refused'],
    ["ConnectionResetError(104, 'Connection reset by peer')", 'reset'],
    ["BrokenPipeError(32, 'Broken pipe')", 'reset'],
    ["RemoteDisconnected('Remote end closed connection without response')", 'closed'],
    [
      `ChunkedEncodingError(ProtocolError("Connection broken: IncompleteRead(3 bytes read, 6 more expected)", IncompleteRead(3 bytes read, 6 more expected)))`,
      'closed',
    ],
    [
      `ChunkedEncodingError(ProtocolError("Connection broken: InvalidChunkLength(got length b'zz\\r\\n', 0 bytes read)", InvalidChunkLength(got length b'zz\\r\\n', 0 bytes read)))`,
      'protocol',
    ],
    ["BadStatusLine('NOT HTTP\\r\\n')", 'protocol'],
    [
      `ReadTimeout(ReadTimeoutError("HTTPConnectionPool(host='127.0.0.1', port=38227): Read timed out. (read timeout=0.5)"))`,
      'timeout',
    ],
    [
      "ConnectTimeoutError(<urllib3.connection.HTTPConnection object at 0x....>, 'Connection to api timed out. (connect timeout=1)')",
      'timeout',
    ],
    ["timeout('timed out')", 'timeout'],
    [
      'NameResolutionError("<urllib3.connection.HTTPConnection object at 0x....>: Failed to resolve \'api\' ([Errno -2] Name or service not known)")',
      'dns',
    ],
    ["OSError(113, 'No route to host')", 'unreachable'],
    [
      `SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)'))`,
      'tls',
    ],
    [
      `InvalidHeader("Invalid leading whitespace, reserved character(s), or returncharacter(s) in header value: 'a\\\\r\\\\nb'")`,
      'request-build',
    ],
    ["CatchResponseError('capture token: not found in response')", 'capture-failed'],
    ["CatchResponseError('the cart is empty')", 'check-failed'],
    ["ValueError('odd')", 'other'],
  ] as const)('%s → %s', (raw, kind) => {
    expect(locustErrorKind(raw)).toBe(kind);
  });

  it.each([
    [
      'CatchResponseError(\'HTTP 422: {"detail":[]}\')',
      { message: 'HTTP 422', kind: 'status', status: 422 },
    ],
    [
      "HTTPError('500 Server Error: Internal Server Error for url: /items')",
      { message: 'HTTP 500', kind: 'status', status: 500 },
    ],
    [
      "CatchResponseError('check body-contains: HTTP 200: nope')",
      { message: 'check body-contains: HTTP 200', kind: 'check-failed', status: 200 },
    ],
    [
      "CatchResponseError('capture token: not found in response')",
      { message: 'capture token: not found in response', kind: 'capture-failed' },
    ],
    [
      "ConnectionRefusedError(111, 'Connection refused')",
      { message: 'ECONNREFUSED: connection refused', kind: 'refused' },
    ],
    [
      "ConnectionResetError(104, 'Connection reset by peer')",
      { message: "ConnectionResetError(104, 'Connection reset by peer')", kind: 'reset' },
    ],
  ] as const)('as an error group: %s', (raw, expected) => {
    expect(parseLocustError(raw)).toMatchObject(expected);
  });
});
