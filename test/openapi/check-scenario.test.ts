import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/config-schema.js';
import { checkScenario } from '../../src/openapi/check-scenario.js';
import { loadSpec } from '../../src/openapi/load-spec.js';
import type { OpenApiDocument } from '../../src/openapi/spec.js';
import { ROOT } from '../support/demo-stack.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'openapi');

async function spec(file: string): Promise<OpenApiDocument> {
  const loaded = await loadSpec(file, { baseDir: FIXTURES });
  if (!loaded.ok) throw new Error(loaded.reason);
  return loaded.spec;
}

/** The mismatches of a scenario written as in loadgate.yml (parsed by the real config schema). */
function check(document: OpenApiDocument, scenarioYaml: string, target = 'http://127.0.0.1:8000') {
  const config = configSchema.parse({ target, scenario: parse(scenarioYaml) as unknown });
  return checkScenario(document, config.scenario, { target: config.target });
}

describe('checkScenario on the FastAPI fixture app’s generated document (OpenAPI 3.0)', () => {
  let fastapi: OpenApiDocument;
  beforeAll(async () => {
    fastapi = await spec('fastapi-app.json');
  });

  it('the seed’s bug: a JSON login to an OAuth2 form endpoint is a media-type mismatch', () => {
    const { checked, mismatches } = check(
      fastapi,
      `setup:
  - request: { method: POST, url: /token, json: { username: demo, password: "\${env.PW}" } }
tasks:
  - request: { url: /items, headers: { Authorization: "Bearer \${token}" } }`,
    );
    expect(checked).toBe(2);
    expect(mismatches).toEqual([
      {
        step: 'POST /token',
        stepPath: 'scenario.setup[0]',
        operation: 'POST /token',
        operationId: 'login_token_post',
        kind: 'media-type',
        sent: 'application/json',
        sentKey: 'json',
        expected: ['application/x-www-form-urlencoded'],
        fixKey: 'form',
      },
    ]);
  });

  it('the fixed scenario (form login, bearer token) has no mismatch', () => {
    const { mismatches } = check(
      fastapi,
      `setup:
  - request: { method: POST, url: /token, form: { username: demo, password: x } }
tasks:
  - request: { url: /items, headers: { authorization: "Bearer \${token}" } }
  - request: { url: "/health?verbose=1" }
  - request: { method: HEAD, url: /health }`,
    );
    expect(mismatches).toEqual([]);
  });

  it.each([
    {
      what: 'a required field of the $ref schema is missing',
      step: '{ method: POST, url: /token, form: { username: demo } }',
      expected: {
        kind: 'fields-missing',
        mediaType: 'application/x-www-form-urlencoded',
        fields: ['password'],
        sent: ['username'],
      },
    },
    {
      what: 'a required body is absent',
      step: '{ method: POST, url: /token }',
      expected: {
        kind: 'body-missing',
        expected: ['application/x-www-form-urlencoded'],
        fixKey: 'form',
      },
    },
    {
      what: 'the operation needs the OAuth2 bearer token and no Authorization is sent',
      step: '{ url: /items }',
      expected: {
        kind: 'security-missing',
        schemes: [{ name: 'OAuth2PasswordBearer', type: 'oauth2' }],
      },
    },
    {
      what: 'a path the document does not have',
      step: '{ url: /items/ }',
      expected: { kind: 'unknown-path', method: 'GET', path: '/items/', similar: ['/items'] },
    },
    {
      what: 'a method the path does not allow',
      step: '{ method: DELETE, url: /items, headers: { Authorization: x } }',
      expected: { kind: 'method-not-allowed', method: 'DELETE', allowed: ['GET'] },
    },
  ])('$what', ({ step, expected }) => {
    const { mismatches } = check(fastapi, `tasks:\n  - request: ${step}`);
    expect(mismatches).toHaveLength(1);
    expect(mismatches[0]).toMatchObject(expected);
  });
});

describe('checkScenario on a hand-written OpenAPI 3.1 document (YAML, servers, $ref, apiKey)', () => {
  let shop: OpenApiDocument;
  beforeAll(async () => {
    shop = await spec('shop-3.1.yaml');
  });
  const key = 'headers: { X-API-Key: "${env.KEY}" }';

  it('matches templated paths against concrete and placeholder paths, under the servers’ base path', () => {
    const { checked, mismatches } = check(
      shop,
      `tasks:
  - request: { url: /api/v1/health }
  - request: { url: /api/v1/orders/42, ${key} }
  - request: { url: "/api/v1/orders/\${order}", ${key} }
  - request: { url: /api/v1/orders/latest, ${key} }
  - request: { url: /api/v1/orders/7/receipt.pdf, ${key} }
  - request: { method: DELETE, url: "/api/v1/orders/\${order}", ${key} }
  - request: { method: POST, url: /api/v1/orders, json: { customer: c1, items: [a] }, ${key} }
  - request: { url: "http://elsewhere.example/not-checked" }`,
    );
    expect(checked).toBe(7);
    expect(mismatches).toEqual([]);
  });

  it('with the base path in the target, scenario paths are relative to it', () => {
    const { mismatches } = check(
      shop,
      `tasks:\n  - request: { url: /orders/latest }`,
      'http://127.0.0.1:8000/api/v1',
    );
    expect(mismatches).toMatchObject([
      {
        kind: 'security-missing',
        operation: 'GET /orders/latest',
        operationId: 'latestOrder',
        schemes: [{ name: 'ApiKey', type: 'apiKey', in: 'header', param: 'X-API-Key' }],
      },
    ]);
  });

  it('follows $ref into requestBodies and allOf schemas for the required fields', () => {
    const { mismatches } = check(
      shop,
      `tasks:\n  - request: { method: POST, url: /api/v1/orders, json: { items: [a] }, ${key} }`,
    );
    expect(mismatches).toMatchObject([
      {
        kind: 'fields-missing',
        mediaType: 'application/json',
        fields: ['customer'],
        sent: ['items'],
      },
    ]);
  });

  it('a multipart upload: form is the wrong media type; any one security alternative is enough', () => {
    const wrong = check(
      shop,
      `tasks:\n  - request: { method: POST, url: /api/v1/uploads, form: { label: x }, headers: { Cookie: "a=1; session=abc" } }`,
    );
    expect(wrong.mismatches).toMatchObject([
      {
        kind: 'media-type',
        sentKey: 'form',
        expected: ['multipart/form-data'],
        fixKey: 'multipart',
      },
    ]);
    const right = check(
      shop,
      `tasks:
  - request:
      method: POST
      url: /api/v1/uploads
      headers: { Authorization: "Bearer t" }
      multipart: { label: x, file: { file: data.bin } }`,
    );
    expect(right.mismatches).toEqual([]);
    const none = check(
      shop,
      `tasks:\n  - request: { method: POST, url: /api/v1/uploads, multipart: { label: x, file: { file: a.bin } } }`,
    );
    expect(none.mismatches).toMatchObject([
      {
        kind: 'security-missing',
        schemes: [
          { name: 'SessionCookie', type: 'apiKey', in: 'cookie', param: 'session' },
          { name: 'Bearer', type: 'bearer' },
        ],
      },
    ]);
  });

  it('an API key in the query string counts, from `query:` or the URL', () => {
    const spec31 = {
      ...shop,
      components: { securitySchemes: { ApiKey: { type: 'apiKey', in: 'query', name: 'api_key' } } },
    };
    const { mismatches } = check(
      spec31,
      `tasks:
  - request: { url: /api/v1/orders, query: { api_key: k } }
  - request: { url: "/api/v1/orders?api_key=k" }
  - request: { url: /api/v1/orders }`,
    );
    expect(mismatches.map((m) => m.stepPath)).toEqual(['scenario.tasks[2]']);
  });
});
