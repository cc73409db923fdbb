import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../src/openapi/load-spec.js';
import { ROOT } from '../support/demo-stack.js';
import { startServer } from '../support/http-server.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'openapi');
const fastapi = readFileSync(path.join(FIXTURES, 'fastapi-app.json'), 'utf8');
const shopYaml = readFileSync(path.join(FIXTURES, 'shop-3.1.yaml'), 'utf8');

describe('loadSpec', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer({
      '/openapi.json': () => ({ body: fastapi }),
      '/spec': () => ({ body: shopYaml, headers: { 'content-type': 'application/yaml' } }),
      '/html': () => ({ body: '<html>not here</html>', headers: { 'content-type': 'text/html' } }),
      '/swagger.json': () => ({ body: '{"swagger":"2.0","paths":{}}' }),
      '/other.json': () => ({ body: '{"status":"ok"}' }),
    });
  });
  afterAll(() => server.close());

  it('reads a JSON document from a URL', async () => {
    const loaded = await loadSpec(`${server.url}/openapi.json`, { baseDir: '/' });
    expect(loaded.ok && loaded.spec.openapi).toBe('3.0.2');
    expect(loaded.source).toBe(`${server.url}/openapi.json`);
  });

  it('reads YAML when the server says so, or from a .yaml file relative to the config', async () => {
    const fromUrl = await loadSpec(`${server.url}/spec`, { baseDir: '/' });
    expect(fromUrl.ok && fromUrl.spec.openapi).toBe('3.1.0');
    const fromFile = await loadSpec('shop-3.1.yaml', { baseDir: FIXTURES });
    expect(fromFile.ok && fromFile.spec.servers).toEqual([{ url: '/api/v1' }]);
  });

  it.each([
    { what: '404', at: '/missing.json', reason: 'HTTP 404', missing: true },
    { what: 'not JSON', at: '/html', reason: 'not JSON', missing: undefined },
    {
      what: 'Swagger 2',
      at: '/swagger.json',
      reason: 'a Swagger 2.0 document, expected OpenAPI 3.0 or 3.1',
      missing: undefined,
    },
    {
      what: 'JSON, not OpenAPI',
      at: '/other.json',
      reason: 'no `openapi` version field',
      missing: undefined,
    },
  ])('says why a URL is not a document: $what', async ({ at, reason, missing }) => {
    const loaded = await loadSpec(`${server.url}${at}`, { baseDir: '/' });
    expect(loaded).toEqual({
      ok: false,
      source: `${server.url}${at}`,
      reason,
      ...(missing ? { missing } : {}),
    });
  });

  it('a missing file', async () => {
    const loaded = await loadSpec('nope.yaml', { baseDir: FIXTURES });
    expect(loaded).toEqual({
      ok: false,
      source: path.join(FIXTURES, 'nope.yaml'),
      reason: 'no such file',
      missing: true,
    });
  });
});
