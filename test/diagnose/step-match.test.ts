import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { stepOfSample } from '../../src/diagnose/step-match.js';
import type { HttpSample } from '../../src/model/run-result.js';
import { diagnose } from '../support/diagnose.js';
import { endpoint, run, stage } from '../support/run-result.js';

/** Two tasks of one name (so one line of statistics): one sends `name`, the other `title`. */
const config = configSchema.parse({
  target: 'http://127.0.0.1:8000',
  scenario: {
    tasks: [
      { name: 'POST /items', request: { method: 'POST', url: '/items', json: { name: 'a' } } },
      { name: 'POST /items', request: { method: 'POST', url: '/items', json: { title: 'b' } } },
    ],
  },
});

function sample(body: string, contentType = 'application/json'): HttpSample {
  return {
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:8000/items',
      headers: { 'content-type': contentType },
      body,
    },
    response: {
      status: 422,
      headers: {},
      body: JSON.stringify({
        detail: [{ type: 'missing', loc: ['body', 'label'], msg: 'Field required' }],
      }),
      truncated: false,
    },
  };
}

describe('steps that share a name: the failure is told to the step that sent it', () => {
  it('the second step’s failure names the second step, not the first', () => {
    const failing = endpoint({
      name: 'POST /items',
      requests: 10,
      failures: 5,
      statusCodes: { '201': 5, '422': 5 },
      errors: [
        {
          message: 'HTTP 422',
          kind: 'status',
          status: 422,
          count: 5,
          sample: sample('{"title":"b"}'),
        },
      ],
    });
    const { findings, plan } = diagnose({
      config,
      result: run([stage('smoke', [failing])]),
    });
    expect(findings[0]?.id).toBe('request.fields-missing');
    expect(plan[0]?.text).toBe(
      "Send `label` (the API's field) instead of `title` in `scenario.tasks[1].request.json`",
    );
  });

  it.each([
    ['the JSON fields', sample('{"name":"a"}'), 0],
    ['the JSON fields', sample('{"title":"b"}'), 1],
    ['no sample: the first', undefined, 0],
  ])('by %s', (_, given, index) => {
    const steps = config.scenario.tasks.map((step, i) => ({ step, i }));
    expect(stepOfSample(steps, given)?.i).toBe(index);
  });

  it('by the path, the method and the body type', () => {
    const steps = configSchema
      .parse({
        target: 'http://127.0.0.1:8000',
        scenario: {
          tasks: [
            { name: 'x', request: { url: '/items/${data.id}' } },
            { name: 'x', request: { method: 'POST', url: '/items', form: { a: '1' } } },
            { name: 'x', request: { method: 'POST', url: '/items', json: { a: '1' } } },
          ],
        },
      })
      .scenario.tasks.map((step, i) => ({ step, i }));
    const sent = (method: string, url: string, contentType?: string): HttpSample => ({
      request: { method, url, headers: contentType ? { 'Content-Type': contentType } : {} },
    });
    expect(stepOfSample(steps, sent('GET', 'http://127.0.0.1:8000/items/42?x=1'))?.i).toBe(0);
    expect(
      stepOfSample(steps, sent('POST', '/items', 'application/x-www-form-urlencoded'))?.i,
    ).toBe(1);
    expect(stepOfSample(steps, sent('POST', '/items', 'application/json; charset=utf-8'))?.i).toBe(
      2,
    );
  });
});
