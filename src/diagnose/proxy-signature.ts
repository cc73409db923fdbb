import type { HttpSample } from '../model/run-result.js';
import type { ProxyName } from '../report/finding-words/proxy.js';

export type { ProxyName };

/**
 * Which reverse proxy made this response itself (its own 502/503/504 page), or undefined when
 * the app made it. The body decides: a proxy passes the app's statuses through with its own
 * `Server` header, so the header alone proves nothing.
 */
export function proxyMadeResponse(response: HttpSample['response']): ProxyName | undefined {
  if (!response || response.status < 500) return undefined;
  const body = response.body.trim();
  const server = (response.headers.server ?? '').toLowerCase();
  if (/<center>nginx(\/[\d.]+)?<\/center>/i.test(body)) return 'nginx';
  if (
    /^(upstream connect error or disconnect\/reset before headers|no healthy upstream|upstream request timeout)/i.test(
      body,
    )
  )
    return 'Envoy';
  if (
    /^<html><body><h1>(502 Bad Gateway|503 Service Unavailable|504 Gateway Time-out)<\/h1>/i.test(
      body,
    )
  )
    return 'HAProxy';
  if (/^(Bad Gateway|Service Unavailable|Gateway Timeout)$/.test(body) && server === '')
    return 'Traefik';
  if (body === '' && server.startsWith('caddy')) return 'Caddy';
  return undefined;
}

/** What a proxy's error log says about a failure, from the lines loadgate knows. */
export type ProxyLogCause =
  | 'upstream-refused'
  | 'upstream-unreachable'
  | 'upstream-closed'
  | 'upstream-timeout'
  | 'rate-limit';

const LOG_CAUSES: [RegExp, ProxyLogCause][] = [
  [/limiting (requests|connections)/i, 'rate-limit'],
  [/upstream timed out|upstream request timeout|timeout reached while/i, 'upstream-timeout'],
  [
    /connect\(\) failed \(111: Connection refused\)|Connection refused\) while connecting to upstream|delayed connect error: 111/i,
    'upstream-refused',
  ],
  [/upstream prematurely closed|reset by peer\) while reading response header/i, 'upstream-closed'],
  [
    /no live upstreams|host not found in upstream|no healthy upstream|No route to host/i,
    'upstream-unreachable',
  ],
];

export function proxyLogCause(line: string): ProxyLogCause | undefined {
  return LOG_CAUSES.find(([pattern]) => pattern.test(line))?.[1];
}
