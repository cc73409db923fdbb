import type { PROXY } from '../../../src/report/finding-words/proxy.js';
import type { Samples } from '../../support/word-samples.js';

const refused = {
  proxy: 'nginx' as const,
  status: 502,
  endpoint: 'GET /items',
  cause: 'refused' as const,
  upstream: 'http://172.18.0.3:8000/items',
};
const limitReq = { endpoint: 'GET /items', directive: 'limit_req' as const, zone: 'api' };
const limitConn = { endpoint: 'POST /orders', directive: 'limit_conn' as const, zone: undefined };
const timeout = {
  proxy: 'nginx' as const,
  endpoint: 'GET /items',
  status: 504,
  reason: 'Gateway Timeout',
  latency: { p50: 1200, p95: 60000, max: 60004 },
};

export const PROXY_SAMPLES: Samples<typeof PROXY.en> = {
  'proxy.page-count': [
    {
      endpoint: 'GET /items',
      proxy: 'nginx',
      status: 502,
      count: 40,
      requests: 100,
      stage: 'ramp',
    },
    { endpoint: 'GET /items', proxy: 'Envoy', status: 503, count: 1, requests: 1, stage: 'smoke' },
  ],
  'proxy.first-page': [
    { stage: 'ramp', second: 4, users: 20, rps: 80 },
    { stage: 'ramp', second: 1, users: 1, rps: 1 },
  ],
  'proxy.upstream-unreachable.title': [
    refused,
    { ...refused, cause: 'closed' },
    { ...refused, proxy: 'Envoy', status: 503, cause: undefined, upstream: undefined },
  ],
  'proxy.upstream-unreachable.action': [refused, { ...refused, upstream: undefined }],
  'rate-limited.nginx.title': [limitReq, limitConn],
  'rate-limited.nginx.status': [limitReq, limitConn],
  'rate-limited.nginx.action': [limitReq, limitConn],
  'proxy.upstream-timeout.title': [timeout],
  'proxy.upstream-timeout.latency': [timeout],
  'proxy.upstream-timeout.action': [
    timeout,
    { ...timeout, proxy: 'Envoy' },
    { ...timeout, proxy: 'HAProxy' },
    { ...timeout, proxy: 'Traefik' },
    { ...timeout, proxy: 'Caddy' },
  ],
};
