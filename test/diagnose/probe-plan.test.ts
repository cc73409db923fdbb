import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { planProbes } from '../../src/diagnose/probe-plan.js';
import type { EndpointStats } from '../../src/model/run-result.js';
import { endpoint, refusedEndpoint, run, stage } from '../support/run-result.js';

/** A scenario: a login that captures `token`, then a call; either may carry the fault. */
function config(login: Record<string, unknown>, call: Record<string, unknown> = {}) {
  return configSchema.parse({
    target: 'http://127.0.0.1:3000',
    scenario: {
      setup: [
        {
          name: 'POST /login',
          request: { method: 'POST', url: '/login', ...login },
          capture: { token: 'json.token' },
        },
      ],
      tasks: [{ name: 'GET /items', request: { url: '/items', ...call } }],
    },
  });
}

/** An endpoint refused with `status`, the body and headers as the API answered. */
function refused(
  name: string,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): EndpointStats {
  const [method, url] = name.split(' ');
  return refusedEndpoint(name, status, {
    request: { method: method!, url: `http://127.0.0.1:3000${url}`, headers: {} },
    response: { status, headers, body, truncated: false },
  });
}

const ok = (name: string) => endpoint({ name, requests: 1, statusCodes: { '200': 1 } });
const JSON_LOGIN = { json: { username: 'demo', password: 'x' } };
const missing = (...fields: string[]) =>
  JSON.stringify({ detail: fields.map((f) => ({ loc: ['body', f], msg: 'field required' })) });

describe('probes planned from the smoke stage’s refusals (pure)', () => {
  it.each([
    {
      what: 'the JSON fields sent, said missing: the login sent as form data',
      cfg: config(JSON_LOGIN),
      endpoints: [refused('POST /login', 422, missing('username', 'password'))],
      expected: [{ stepPath: 'scenario.setup[0]', hypothesis: { kind: 'body', body: 'form' } }],
    },
    {
      what: 'form data answered "Invalid JSON": the login sent as JSON',
      cfg: config({ form: { username: 'demo', password: 'x' } }),
      endpoints: [refused('POST /login', 400, '{"error":"Invalid JSON"}')],
      expected: [{ stepPath: 'scenario.setup[0]', hypothesis: { kind: 'body', body: 'json' } }],
    },
    {
      what: 'a field of another name asked for: sent under its name',
      cfg: config({ json: { email: 'demo', password: 'x' } }),
      endpoints: [refused('POST /login', 422, missing('username'))],
      expected: [
        {
          stepPath: 'scenario.setup[0]',
          hypothesis: { kind: 'field', from: 'email', to: 'username' },
        },
      ],
    },
    {
      what: 'WWW-Authenticate names another scheme: that one',
      cfg: config(JSON_LOGIN, { headers: { Authorization: 'Bearer ${token}' } }),
      endpoints: [
        ok('POST /login'),
        refused('GET /items', 401, '{"detail":"Authentication credentials were not provided."}', {
          'www-authenticate': 'Token',
        }),
      ],
      expected: [
        { stepPath: 'scenario.tasks[0]', hypothesis: { kind: 'scheme', scheme: 'Token' } },
      ],
    },
    {
      what: 'a scheme refused, none named: the usual ones, not the one sent',
      cfg: config(JSON_LOGIN, { headers: { Authorization: 'JWT ${token}' } }),
      endpoints: [ok('POST /login'), refused('GET /items', 401, 'Unauthorized')],
      expected: [
        { stepPath: 'scenario.tasks[0]', hypothesis: { kind: 'scheme', scheme: 'Bearer' } },
        { stepPath: 'scenario.tasks[0]', hypothesis: { kind: 'scheme', scheme: 'Token' } },
      ],
    },
    {
      what: 'a token written into loadgate.yml refused: the login’s token instead',
      cfg: config(JSON_LOGIN, { headers: { Authorization: 'Bearer eyJhbGciOi.fixed.token' } }),
      endpoints: [ok('POST /login'), refused('GET /items', 401, '{"message":"invalid signature"}')],
      expected: [
        {
          stepPath: 'scenario.tasks[0]',
          hypothesis: { kind: 'login-token', scheme: 'Bearer', variable: 'token' },
        },
      ],
    },
    {
      what: 'no token sent: the login’s, with the usual scheme',
      cfg: config(JSON_LOGIN),
      endpoints: [ok('POST /login'), refused('GET /items', 401, '{"detail":"Not authenticated"}')],
      expected: [
        {
          stepPath: 'scenario.tasks[0]',
          hypothesis: { kind: 'login-token', scheme: 'Bearer', variable: 'token' },
        },
      ],
    },
    {
      what: 'the login’s own token expired: another scheme would not change it, no probe',
      cfg: config(JSON_LOGIN, { headers: { Authorization: 'Bearer ${token}' } }),
      endpoints: [ok('POST /login'), refused('GET /items', 401, '{"message":"jwt expired"}')],
      expected: [],
    },
    {
      what: 'wrong credentials: no password is guessed',
      cfg: config(JSON_LOGIN),
      endpoints: [refused('POST /login', 401, '{"detail":"Incorrect username or password"}')],
      expected: [],
    },
    {
      what: 'a CSRF refusal: where the token is served is the framework’s, no probe',
      cfg: config(JSON_LOGIN),
      endpoints: [ok('POST /login'), refused('GET /items', 403, '{"detail":"CSRF Failed"}')],
      expected: [],
    },
  ])('$what', ({ cfg, endpoints, expected }) => {
    const plans = planProbes({ config: cfg, result: run([stage('smoke', endpoints)]) });
    expect(plans.map(({ stepPath, hypothesis }) => ({ stepPath, hypothesis }))).toEqual(expected);
  });

  it('the changed step, and the steps the probe keeps: a setup step after the ones before it, a task after the whole setup', () => {
    const [login] = planProbes({
      config: config(JSON_LOGIN),
      result: run([stage('smoke', [refused('POST /login', 422, missing('username', 'password'))])]),
    });
    expect(login?.scenario.setup.map((s) => s.name)).toEqual(['POST /login (probe)']);
    expect(login?.scenario.setup[0]?.request.body).toEqual({
      kind: 'form',
      fields: { username: 'demo', password: 'x' },
    });
    expect(login?.scenario.tasks.map((s) => s.name)).toEqual(['GET /items']);
    const [call] = planProbes({
      config: config(JSON_LOGIN, { headers: { Authorization: 'JWT ${token}' } }),
      result: run([
        stage('smoke', [ok('POST /login'), refused('GET /items', 401, 'Unauthorized')]),
      ]),
    });
    expect(call?.scenario.setup.map((s) => s.name)).toEqual(['POST /login']);
    expect(call?.scenario.tasks[0]?.request.headers).toEqual({ Authorization: 'Bearer ${token}' });
    expect(call?.step).toBe('GET /items (probe)');
  });

  it('at most 3 probes a run, and none from the ramp', () => {
    const many = config(JSON_LOGIN, { headers: { Authorization: 'JWT ${token}' } });
    const refusals = [
      refused('POST /login', 422, missing('username', 'password')),
      refused('GET /items', 401, 'Unauthorized'),
    ];
    expect(planProbes({ config: many, result: run([stage('smoke', refusals)]) })).toHaveLength(3);
    expect(
      planProbes({ config: many, result: run([stage('smoke', []), stage('ramp', refusals)]) }),
    ).toEqual([]);
  });
});
