import jwt from 'jsonwebtoken';
import { ZOO_JWT_SECRET, type RunningApp, type ZooApp } from './apps.js';
import type { Fault } from './matrix.js';

/** The requests that make each fault of the matrix on a zoo app, as loadgate.yml's scenario. */

export const ACCEPT = { Accept: 'application/json' };
const CREDENTIALS = { username: 'demo', password: 'demo-password' };
const LOGIN = {
  name: 'POST /api/login',
  request: { method: 'POST', url: '/api/login', headers: ACCEPT, json: CREDENTIALS },
  capture: { token: 'json.token' },
};
const FOREIGN = jwt.sign({ sub: 'demo' }, 'another-key-0123456789abcdef0123456789', {
  expiresIn: '1h',
});
const EXPIRED = jwt.sign(
  { sub: 'demo', exp: Math.floor(Date.now() / 1000) - 3600 },
  ZOO_JWT_SECRET,
);

/** The scenario that makes `fault` on `app` (the smoke stage meets it; a tiny ramp follows). */
export function scenarioOf(app: ZooApp, fault: Fault, cookie: string | undefined) {
  const auth = (value: string) => ({ ...ACCEPT, Authorization: value });
  const items = (headers: Record<string, string>) => ({
    name: 'GET /api/items',
    request: { url: '/api/items', headers },
  });
  const fast = { request: { url: '/api/fast', headers: ACCEPT } };
  const task = (url: string, method = 'GET', extra: Record<string, unknown> = {}) => ({
    name: `${method} ${url}`,
    request: { method, url, headers: ACCEPT, ...extra },
  });
  const login = (request: Record<string, unknown>) => [
    {
      name: 'POST /api/login',
      request: { method: 'POST', url: '/api/login', headers: ACCEPT, ...request },
    },
  ];
  const other = app.scheme === 'Token' ? 'Bearer' : 'Token';
  switch (fault) {
    case 'healthy':
      return { setup: [LOGIN], tasks: [items(auth(`${app.scheme} \${token}`)), fast] };
    case 'wrong-password':
      return {
        setup: login({ json: { ...CREDENTIALS, password: 'not-the-password' } }),
        tasks: [fast],
      };
    case 'wrong-field':
      return {
        setup: login({ json: { email: 'demo', password: 'demo-password' } }),
        tasks: [fast],
      };
    case 'form-to-json':
      return { setup: login({ form: CREDENTIALS }), tasks: [fast] };
    case 'json-to-form':
      return {
        setup: [
          {
            name: 'POST /api/token',
            request: { method: 'POST', url: '/api/token', headers: ACCEPT, json: CREDENTIALS },
          },
        ],
        tasks: [fast],
      };
    case 'missing-token':
      return { setup: [LOGIN], tasks: [items(ACCEPT)] };
    case 'wrong-scheme':
      return { setup: [LOGIN], tasks: [items(auth(`${other} \${token}`))] };
    case 'foreign-token':
      return { setup: [LOGIN], tasks: [items(auth(`${app.scheme} ${FOREIGN}`))] };
    case 'expired-token':
      return { setup: [LOGIN], tasks: [items(auth(`${app.scheme} ${EXPIRED}`))] };
    case 'csrf':
      return {
        tasks: [
          {
            ...task('/api/comments', 'POST', { json: { text: 'hi' } }),
            request: {
              method: 'POST',
              url: '/api/comments',
              headers: cookie ? { ...ACCEPT, Cookie: cookie } : ACCEPT,
              json: { text: 'hi' },
            },
          },
        ],
      };
    case 'rate-limit':
      return { tasks: [task('/api/limited')] };
    case 'exception':
      return { tasks: [task('/api/boom')] };
    case 'db-locked':
      return { tasks: [task('/api/orders', 'POST', { json: { item: 'widget' } })] };
  }
}

/** DRF enforces CSRF only on a session: the cookies of a session login, as a browser holds them. */
export async function sessionCookie(running: RunningApp): Promise<string | undefined> {
  if (running.app.name !== 'django-rest') return undefined;
  const res = await fetch(`${running.url}/api/session-login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(CREDENTIALS),
  });
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]?.trim())
    .join('; ');
}
