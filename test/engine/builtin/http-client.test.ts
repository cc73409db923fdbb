import { describe, expect, it } from 'vitest';
import { describeNetworkError } from '../../../src/engine/builtin/http-client.js';

describe('network error messages', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, 0, 'ECONNREFUSED: connection refused'],
    [{ cause: { code: 'ECONNRESET' } }, 0, 'ECONNRESET: connection reset by the server'],
    [{ code: 'UND_ERR_HEADERS_TIMEOUT' }, 0, 'timeout after 30s'],
    [{ code: 'UND_ERR_BODY_TIMEOUT' }, 200, 'timeout after 30s (HTTP 200, body incomplete)'],
    [
      { code: 'HPE_INVALID_CONSTANT', message: 'Expected HTTP/' },
      0,
      'invalid HTTP response: Expected HTTP/',
    ],
    [{ code: 'EWHATEVER', message: 'odd' }, 0, 'EWHATEVER: odd'],
    [new Error('plain'), 0, 'plain'],
  ])('%j → %s', (error, status, message) => {
    expect(describeNetworkError(error, 30_000, status)).toBe(message);
  });
});
