import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { diagnose } from '../support/diagnose.js';
import type { EndpointStats } from '../../src/model/run-result.js';
import { endpoint, run, stage } from '../support/run-result.js';

/** A login step sent as JSON with these fields, to this URL. */
function config(json: Record<string, string>, url = '/login') {
  return configSchema.parse({
    target: 'http://127.0.0.1:3000',
    scenario: {
      setup: [{ name: `POST ${url}`, request: { method: 'POST', url, json } }],
      tasks: [{ request: { url: '/items' } }],
    },
  });
}

function refused(status: number, body: string, name = 'POST /login'): EndpointStats {
  return endpoint({
    name,
    requests: 5,
    failures: 5,
    statusCodes: { [String(status)]: 5 },
    errors: [
      {
        message: `HTTP ${status}`,
        status,
        count: 5,
        sample: {
          request: {
            method: 'POST',
            url: `http://127.0.0.1:3000${name.split(' ')[1]}`,
            headers: { 'content-type': 'application/json' },
          },
          response: {
            status,
            headers: { 'content-type': 'application/json' },
            body,
            truncated: false,
          },
        },
      },
    ],
  });
}

function diagnoseSmoke(cfg: ReturnType<typeof config>, failing: EndpointStats) {
  return diagnose({ config: cfg, result: run([stage('smoke', [failing], { status: 'failed' })]) });
}

describe('the response says what is wrong: read it, never conclude from the request’s shape', () => {
  it('a JSON login with a wrong password (400 "Password is incorrect") is refused credentials, not "switch to form"', () => {
    const { findings, plan } = diagnoseSmoke(
      config({ email: 'demo@example.com', password: 'wrong' }),
      refused(400, JSON.stringify({ message: 'Password is incorrect' })),
    );
    expect(findings[0]?.id).toBe('auth.invalid-credentials');
    expect(findings[0]?.evidence[0]).toBe('5 of 5 login requests answered 400 in the smoke stage');
    expect(findings.map((f) => f.id)).not.toContain('auth.request-format');
    expect(plan.map((p) => p.text).join('\n')).not.toMatch(/form:/);
  });

  it('a 422 that misses `login` while the request sent `user`: send the API’s field instead', () => {
    const body = JSON.stringify({
      detail: [
        {
          type: 'missing',
          loc: ['body', 'login'],
          msg: 'Field required',
          input: { user: 'demo', password: 'x' },
        },
      ],
    });
    const { findings, plan } = diagnoseSmoke(
      config({ user: 'demo', password: 'x' }),
      refused(422, body),
    );
    expect(findings[0]?.id).toBe('request.fields-missing');
    expect(findings[0]?.title).toBe('POST /login expects `login`, which the request does not send');
    expect(plan[0]?.text).toBe(
      "Send `login` (the API's field) instead of `user` in `scenario.setup[0].request.json`",
    );
    expect(findings.map((f) => f.id)).not.toContain('auth.request-format');
  });

  it('a 422 that misses exactly the JSON fields sent: the API did not read JSON (the seed)', () => {
    const body = JSON.stringify({
      detail: [
        { type: 'missing', loc: ['body', 'username'], msg: 'Field required' },
        { type: 'missing', loc: ['body', 'password'], msg: 'Field required' },
      ],
    });
    const { findings } = diagnoseSmoke(
      config({ username: 'demo', password: 'x' }, '/token'),
      refused(422, body, 'POST /token'),
    );
    expect(findings[0]?.id).toBe('auth.request-format');
    expect(findings[0]?.evidence).toContain(
      'the fields the API says are missing (username, password) are the ones sent as JSON: it did not read the JSON body',
    );
  });

  it('a 415 naming the media type is a format problem even off a login path', () => {
    const { findings } = diagnoseSmoke(
      config({ name: 'x' }, '/orders'),
      refused(415, JSON.stringify({ error: 'Unsupported Media Type' }), 'POST /orders'),
    );
    expect(findings[0]?.id).toBe('auth.request-format');
  });

  it('a 400 that says nothing loadgate reads, on a login path: no guessed recipe, the answer quoted', () => {
    const { findings, plan } = diagnoseSmoke(
      config({ username: 'demo', password: 'x' }),
      refused(400, 'Bad Request'),
    );
    expect(findings.map((f) => f.id)).not.toContain('auth.request-format');
    expect(findings[0]).toMatchObject({ id: 'request.rejected', priority: 'high' });
    expect(plan[0]?.text).toBe(
      'The API answered 400 “Bad Request”: fix what it names in `scenario.setup[0].request`',
    );
  });
});
