import { describe, expect, it } from 'vitest';
import type { HttpOutcome } from '../../../src/transport/exchange.js';
import type { PreparedRequest } from '../../../src/transport/exchange.js';
import { buildSample, SAMPLE_BYTES } from '../../../src/engine/builtin/sample.js';

const request = (overrides: Partial<PreparedRequest> = {}): PreparedRequest => ({
  origin: 'http://127.0.0.1:8000',
  path: '/token',
  method: 'POST',
  headers: {},
  headersTimeout: 30_000,
  bodyTimeout: 30_000,
  bytesSent: 0,
  ...overrides,
});

const response = (text: string, overrides: Partial<HttpOutcome> = {}): HttpOutcome => ({
  status: 500,
  headers: { 'content-type': 'application/json' },
  text,
  truncated: false,
  bytesReceived: Buffer.byteLength(text),
  bytesSent: 0,
  error: undefined,
  errorKind: undefined,
  cancelled: false,
  endedAt: 0,
  ...overrides,
});

describe('failure samples', () => {
  it.each([
    // the scheme is no secret, and tells the diagnosis which one was sent
    ['Authorization', 'Bearer abc', 'Bearer [REDACTED]'],
    ['Proxy-Authorization', 'Basic abc', 'Basic [REDACTED]'],
    ['Authorization', 'abc.def', '[REDACTED]'],
    ['cookie', 'sid=abc', '[REDACTED]'],
    ['X-Api-Key', 'k-abc', '[REDACTED]'],
  ])('redacts the %s header %s', (name, value, redacted) => {
    const sample = buildSample(
      request({ headers: { [name]: value, accept: '*/*' } }),
      undefined,
      [],
    );
    expect(sample.request.headers).toEqual({ [name]: redacted, accept: '*/*' });
    expect(JSON.stringify(sample)).not.toContain('abc');
  });

  it.each([
    ['password', true],
    ['passwd', true],
    ['client_secret', true],
    ['refresh_token', true],
    ['api-key', true],
    ['apiKey', true],
    ['username', false],
    ['grant_type', false],
  ])('form and JSON field %s redacted: %s', (field, redacted) => {
    const value = redacted ? '[REDACTED]' : 'v1';
    const form = buildSample(
      request({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `${field}=v1`,
      }),
      undefined,
      [],
    );
    expect(form.request.body).toBe(`${field}=${value}`);
    const json = buildSample(
      request({
        headers: { 'content-type': 'application/json' },
        body: Buffer.from(`{"${field}":"v1"}`),
      }),
      undefined,
      [],
    );
    expect(json.request.body).toBe(`{"${field}":"${value}"}`);
  });

  it('redacts secret values anywhere, and secret JSON members of a response cut short', () => {
    const body = `{"user":{"token":"t0k3n-value","note":"hello s3cret-env"},"pad":"${'x'.repeat(3000)}`;
    const sample = buildSample(
      request({ path: '/token?key=s3cret-env' }),
      response(body, { truncated: true }),
      ['s3cret-env', 'abc'],
    );
    expect(sample.request.url).toBe('http://127.0.0.1:8000/token?key=[REDACTED]');
    expect(
      sample.response?.body.startsWith(
        '{"user":{"token":"[REDACTED]","note":"hello [REDACTED]"},"pad":"xxx',
      ),
    ).toBe(true);
    expect(sample.response?.body).toHaveLength(SAMPLE_BYTES);
    expect(sample.response?.truncated).toBe(true);
  });

  it('a secret cut by the body limit is redacted too, and a cut redaction is made whole', () => {
    const secret = 'super-secret-value';
    const kept = `${'a'.repeat(100)}${secret.slice(0, 6)}`; // the client kept only this much
    const straddling = buildSample(request(), response(kept, { headers: {}, truncated: true }), [
      secret,
    ]);
    expect(straddling.response).toMatchObject({
      body: `${'a'.repeat(100)}[REDACTED]`,
      truncated: true,
    });
    const long = `${'a'.repeat(SAMPLE_BYTES - 6)}${secret} and more`;
    const whole = buildSample(request(), response(long, { headers: {} }), [secret]);
    expect(whole.response?.body).toBe(`${'a'.repeat(SAMPLE_BYTES - 6)}[REDACTED]`);
  });

  it('no response part when nothing came back', () => {
    const sample = buildSample(
      request(),
      response('', { status: 0, error: 'ECONNREFUSED: connection refused' }),
      [],
    );
    expect(sample.response).toBeUndefined();
  });
});
