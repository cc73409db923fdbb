import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';
import { loadConfig } from '../../src/config/load-config.js';
import { checkScenario } from '../../src/openapi/check-scenario.js';
import { loadSpec } from '../../src/openapi/load-spec.js';
import { ROOT } from '../support/demo-stack.js';
import { startServer } from '../support/http-server.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'openapi');
const ENV = { API_USER: 'demo', API_PASSWORD: 'pw', API_KEY: 'k' };

async function init(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(['init', ...args], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    isTTY: false,
  });
  return { code, stdout, stderr };
}

/** The written config, loaded by the real loader, and checked against the document it came from. */
async function loadWritten(file: string, specLocation: string) {
  const loaded = loadConfig({ path: file, env: ENV });
  const spec = await loadSpec(specLocation, { baseDir: path.dirname(file) });
  if (!spec.ok) throw new Error(spec.reason);
  const check = checkScenario(spec.spec, loaded.config.scenario, {
    target: loaded.config.target,
    ...(specLocation.startsWith('http') ? { specUrl: specLocation } : {}),
  });
  return { config: loaded.config, mismatches: check.mismatches };
}

describe('loadgate init --openapi', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  const fastapi = readFileSync(path.join(FIXTURES, 'fastapi-app.json'), 'utf8');
  beforeAll(async () => {
    server = await startServer({ '/openapi.json': () => ({ body: fastapi }) });
  });
  afterAll(() => server.close());

  it('from the FastAPI app’s URL: its origin as target, the OAuth2 password login, a task per GET', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-init-'));
    const out = path.join(dir, 'loadgate.yml');
    const run = await init(['--openapi', `${server.url}/openapi.json`, '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`wrote ${out} from ${server.url}/openapi.json`);
    const { config, mismatches } = await loadWritten(out, `${server.url}/openapi.json`);
    expect(config.target).toBe(server.url);
    // the default probe finds it: no `openapi:` key is written
    expect(config.openapi).toBeUndefined();
    expect(config.scenario.setup.map((s) => [s.request.method, s.request.url])).toEqual([
      ['POST', '/token'],
    ]);
    expect(config.scenario.setup[0]?.request.body).toEqual({
      kind: 'form',
      fields: { username: '${env.API_USER}', password: '${env.API_PASSWORD}' },
    });
    expect(config.scenario.setup[0]?.capture).toEqual([
      { variable: 'token', from: 'json.access_token' },
    ]);
    expect(config.scenario.tasks.map((t) => [t.name, t.request.headers])).toEqual([
      ['GET /health', {}],
      ['GET /items', { Authorization: 'Bearer ${token}' }],
    ]);
    expect(config.thresholds.global).toMatchObject({
      'failure-rate': { op: '<', value: 1 },
      p95: { op: '<', value: 500 },
    });
    expect(mismatches).toEqual([]);
    expect(readFileSync(out, 'utf8')).not.toMatch(/demo|pw\b/);
  });

  it('from a 3.1 YAML file: the servers’ base path, the API key header, parameterised GETs commented out', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-init-'));
    const out = path.join(dir, 'loadgate.yml');
    const spec = path.join(FIXTURES, 'shop-3.1.yaml');
    expect((await init(['--openapi', spec, '--out', out])).code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain(
      'target: "http://127.0.0.1:8000/api/v1" # edit: the document names no absolute server URL',
    );
    expect(text).toContain(
      '    # - request: { url: "/orders/{orderId}", headers: { X-API-Key: "${env.API_KEY}" } } # replace {orderId} with real values',
    );
    const { config, mismatches } = await loadWritten(out, spec);
    // the file is named relative to the config, as every path in it
    expect(config.openapi).toBe(path.relative(dir, spec));
    expect(config.scenario.setup).toEqual([]);
    expect(config.scenario.tasks.map((t) => [t.request.url, t.request.headers])).toEqual([
      ['/health', {}],
      ['/orders', { 'X-API-Key': '${env.API_KEY}' }],
      ['/orders/latest', { 'X-API-Key': '${env.API_KEY}' }],
    ]);
    expect(mismatches).toEqual([]);
  });

  it('refuses to overwrite an existing file without --force', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-init-'));
    const out = path.join(dir, 'loadgate.yml');
    writeFileSync(out, 'target: http://127.0.0.1:1\n');
    const refused = await init(['--openapi', `${server.url}/openapi.json`, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `loadgate init: ${out} already exists; pass --force to overwrite it, or --out <file> to write another file\n`,
    );
    expect(readFileSync(out, 'utf8')).toBe('target: http://127.0.0.1:1\n');
    const forced = await init(['--openapi', `${server.url}/openapi.json`, '--out', out, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('url: "/token"');
  });

  it('names the flag and what was expected when the document is missing or absent', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-init-'));
    const out = path.join(dir, 'loadgate.yml');
    const missing = await init(['--openapi', `${server.url}/nope.json`, '--out', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `loadgate init: --openapi ${server.url}/nope.json: HTTP 404; expected an OpenAPI 3.0 or 3.1 document (JSON, or YAML in a .yaml file)\n`,
    );
    const none = await init(['--out', out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      "loadgate init: --openapi is required: the URL or file of the API's OpenAPI document",
    );
  });
});
