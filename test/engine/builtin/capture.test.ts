import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import type { Step } from '../../../src/config/schema.js';
import { captureVariables, capturesNeedBody } from '../../../src/engine/builtin/capture.js';

const step = (capture: Record<string, string>): Step =>
  configSchema.parse({
    target: 'http://x',
    scenario: { tasks: [{ request: { url: '/' }, capture }] },
  }).scenario.tasks[0]!;

const response = {
  headers: { 'x-request-id': 'req-9', 'set-cookie': ['a=1', 'b=2'] },
  text: '{"access_token":"abc","items":[{"id":7},{"id":8}],"n":0,"ok":false,"nested":{"k":[1,2]}}',
};

describe('captures', () => {
  it.each([
    ['json.access_token', 'abc'],
    ['json.items.1.id', '8'],
    ['json.n', '0'],
    ['json.ok', 'false'],
    ['json.nested', '{"k":[1,2]}'],
    ['header.X-Request-Id', 'req-9'],
    ['header.set-cookie', 'a=1'],
    ['regex:"id":(\\d+)', '7'],
    ['regex:items', 'items'],
  ])('%s → %s', (from, value) => {
    expect(captureVariables(step({ v: from }), response)).toEqual({ vars: { v: value } });
  });

  it.each([
    ['json.access_tokens', 'capture v: json.access_tokens not found in response'],
    ['json.items.5.id', 'capture v: json.items.5.id not found in response'],
    ['header.x-missing', 'capture v: header.x-missing not found in response'],
    ['regex:nope(\\d)', 'capture v: regex:nope(\\d) not found in response'],
  ])('%s finds nothing: a failure', (from, error) => {
    expect(captureVariables(step({ v: from }), response)).toEqual({ error });
  });

  it('a JSON capture on a body that is not JSON says so', () => {
    expect(
      captureVariables(step({ token: 'json.access_token' }), { headers: {}, text: '<html>' }),
    ).toEqual({ error: 'capture token: json.access_token not found: the response is not JSON' });
  });

  it('only header captures leave the body unread', () => {
    expect(capturesNeedBody(step({ a: 'header.x' }))).toBe(false);
    expect(capturesNeedBody(step({ a: 'header.x', b: 'regex:x' }))).toBe(true);
  });
});
