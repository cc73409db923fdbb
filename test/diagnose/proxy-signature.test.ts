import { describe, expect, it } from 'vitest';
import { proxyLogCause, proxyMadeResponse } from '../../src/diagnose/proxy-signature.js';

const NGINX_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n';

function response(status: number, body: string, headers: Record<string, string> = {}) {
  return { status, body, headers, truncated: false };
}

describe('which reverse proxy made a response', () => {
  it.each([
    ['nginx’s own 502 page', response(502, NGINX_502, { server: 'nginx/1.22.1' }), 'nginx'],
    [
      'nginx’s 503 page without a version',
      response(503, NGINX_502.replace('nginx/1.22.1', 'nginx')),
      'nginx',
    ],
    [
      'Envoy',
      response(
        503,
        'upstream connect error or disconnect/reset before headers. reset reason: connection failure',
        { server: 'envoy' },
      ),
      'Envoy',
    ],
    ['Envoy no healthy upstream', response(503, 'no healthy upstream'), 'Envoy'],
    [
      'HAProxy',
      response(
        503,
        '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>',
      ),
      'HAProxy',
    ],
    ['Traefik', response(502, 'Bad Gateway'), 'Traefik'],
    ['Caddy', response(502, '', { server: 'Caddy' }), 'Caddy'],
    // the app's own 503, passed through nginx: nginx's Server header proves nothing
    [
      'the app’s JSON 503 through nginx',
      response(503, '{"detail":"maintenance"}', { server: 'nginx/1.22.1' }),
      undefined,
    ],
    [
      'the app’s 500 through nginx',
      response(500, 'Internal Server Error', { server: 'nginx' }),
      undefined,
    ],
    ['a 4xx', response(429, NGINX_502), undefined],
    ['no response', undefined, undefined],
  ])('%s', (_what, r, proxy) => {
    expect(proxyMadeResponse(r)).toBe(proxy);
  });
});

describe('what a proxy log line says', () => {
  it.each([
    [
      '2026/11/29 17:07:59 [error] 8#8: *1 connect() failed (111: Connection refused) while connecting to upstream, upstream: "http://127.0.0.1:18001/livez"',
      'upstream-refused',
    ],
    [
      '[error] 8#8: *5 limiting requests, excess: 20.600 by zone "api", client: 127.0.0.1',
      'rate-limit',
    ],
    [
      '[error] 8#8: *9 upstream timed out (110: Connection timed out) while reading response header from upstream',
      'upstream-timeout',
    ],
    [
      '[error] upstream prematurely closed connection while reading response header from upstream',
      'upstream-closed',
    ],
    ['[error] no live upstreams while connecting to upstream', 'upstream-unreachable'],
    ['INFO: 127.0.0.1 - "GET /items HTTP/1.1" 200 OK', undefined],
  ])('%s', (line, cause) => {
    expect(proxyLogCause(line)).toBe(cause);
  });
});
