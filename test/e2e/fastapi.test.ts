import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/report-data.js';
import { freePort, ROOT } from '../support/demo-stack.js';
import { processesMatching } from '../support/processes.js';
import { runNode } from '../support/run-node.js';

// The seed's stack for real: FastAPI's OAuth2PasswordRequestForm login under Debian's uvicorn.
// Debian's Python packages are only visible to /usr/bin/python3 (not the pyenv python3 on PATH).
const TASKS = `    - request: { method: GET, url: /items, headers: { Authorization: "Bearer \${token}" } }`;

async function fastapiConfig(loginAs: 'form' | 'json', engine = 'builtin', tasks = TASKS) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-fastapi-'));
  const file = path.join(dir, 'loadgate.yml');
  writeFileSync(
    file,
    `target: http://127.0.0.1:${port}
engine: ${engine}
stack:
  start: /usr/bin/python3 -m uvicorn fastapi_app:app --app-dir ${JSON.stringify(path.join(ROOT, 'test', 'fixtures'))} --host 127.0.0.1 --port ${port}
  env: { API_PASSWORD: "fixture-Pa55" }
  ready: http://127.0.0.1:${port}/health
  ready-timeout: 30s
scenario:
  setup:
    - name: POST /token
      request:
        method: POST
        url: /token
        ${loginAs}: { username: demo, password: "\${env.FIXTURE_PASSWORD}" }
      capture: { token: json.access_token }
      check: { status: 200 }
  tasks:
${tasks}
stages:
  smoke: { users: 1, iterations: 3 }
  ramp: { users: 5, spawn-rate: 10, duration: 1500ms }
thresholds:
  p95: "< 5s"
`,
  );
  return { dir, file, port };
}

async function run(
  loginAs: 'form' | 'json',
  engine = 'builtin',
  extra: string[] = [],
  tasks = TASKS,
) {
  const config = await fastapiConfig(loginAs, engine, tasks);
  const report = path.join(config.dir, 'report.json');
  const result = await runNode(
    path.join(ROOT, 'bin', 'loadgate.js'),
    ['run', '--config', config.file, '--json', report, '--quiet', ...extra],
    {
      cwd: config.dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, FIXTURE_PASSWORD: 'fixture-Pa55' },
    },
  );
  expect(processesMatching(`--port ${config.port}`)).toEqual([]);
  return {
    ...result,
    port: config.port,
    report: JSON.parse(readFileSync(report, 'utf8')) as JsonReport,
  };
}

describe('a FastAPI stack under uvicorn', () => {
  it('the seed case: a JSON login to OAuth2PasswordRequestForm is named from /openapi.json before the smoke stage', async () => {
    const { code, report, stdout, stderr, port } = await run('json');
    expect(code).toBe(1);
    expect(report.stages.map((s) => s.status)).toEqual(['completed', 'skipped']);
    const token = report.stages[0]?.endpoints.find((e) => e.name === 'POST /token');
    expect(token?.statusCodes).toEqual({ '422': 1 });
    expect(token?.errors[0]?.sample.response?.body).toContain('"loc":["body","username"]');
    // FastAPI serves its document: the mismatch is found before any load, and ranked first
    expect(report.openapi).toMatchObject({
      source: `http://127.0.0.1:${port}/openapi.json`,
      checked: 2,
      mismatches: [{ kind: 'media-type', stepPath: 'scenario.setup[0]', operation: 'POST /token' }],
    });
    const warned = stderr.indexOf(
      "warning: POST /token sends application/json, but the API's OpenAPI document says POST /token takes application/x-www-form-urlencoded",
    );
    expect(warned).toBeGreaterThan(stderr.indexOf('── Stack'));
    expect(warned).toBeLessThan(stderr.indexOf('── Load test'));
    // one finding for one cause: the document and the response say the same thing
    expect(report.findings[0]?.id).toBe('openapi.media-type');
    expect(report.findings.map((f) => f.id)).not.toContain('auth.request-format');
    expect(report.plan.filter((p) => p.text.includes('`form:`'))).toHaveLength(1);
    expect(report.findings[0]?.evidence).toContain(
      '1 of 1 request of this step failed in the smoke stage (422)',
    );
    expect(report.findings[0]?.evidence.find((e) => e.startsWith('response body: '))).toContain(
      '"loc":["body","username"]',
    );
    expect(report.findings[0]?.evidence.slice(0, 3)).toEqual([
      `OpenAPI document (http://127.0.0.1:${port}/openapi.json): POST /token (login_token_post): requestBody content \`application/x-www-form-urlencoded\``,
      'the scenario (`scenario.setup[0]`): `json:` sends the body as application/json',
      'found by reading the document before the smoke stage, not from failed requests',
    ]);
    expect(report.plan[0]?.text).toBe(
      'In loadgate.yml, under `scenario.setup[0].request`, replace `json:` with `form:` so the body is sent as application/x-www-form-urlencoded',
    );
    expect(stdout).not.toContain('fixture-Pa55');
  });

  it('the seed case in French', async () => {
    const { code, report, stdout } = await run('json', 'builtin', ['--locale', 'fr']);
    expect(code).toBe(1);
    expect(report.findings[0]?.id).toBe('openapi.media-type');
    expect(report.findings[0]?.title).toBe(
      'POST /token envoie application/json, mais le document OpenAPI de l’API indique que POST /token attend application/x-www-form-urlencoded',
    );
    expect(stdout).toContain(
      'Dans loadgate.yml, sous `scenario.setup[0].request`, remplacer `json:` par `form:` pour envoyer le corps en application/x-www-form-urlencoded',
    );
  });

  it('the fixed config (form data) passes: login, bearer token, ramp', async () => {
    const { code, report, stdout, port } = await run('form');
    expect(code).toBe(0);
    expect(report.verdict).toBe('pass');
    expect(report.openapi).toEqual({
      source: `http://127.0.0.1:${port}/openapi.json`,
      version: '3.0.2',
      checked: 2,
      mismatches: [],
    });
    expect(report.findings.filter((f) => f.id.startsWith('openapi.'))).toEqual([]);
    const ramp = report.stages[1];
    expect(ramp?.status).toBe('completed');
    expect(ramp?.endpoints.find((e) => e.name === 'GET /items')?.statusCodes).toEqual({
      '200': expect.any(Number),
    });
    expect(ramp?.endpoints.find((e) => e.name === 'POST /token')?.requests).toBe(5);
    expect(stdout).not.toContain('fixture-Pa55');
  });

  it('the same gate on the Locust engine names the same cause', async () => {
    const { code, report } = await run('json', 'locust');
    expect(code).toBe(1);
    expect(report.engine).toBe('locust');
    expect(report.stages.map((s) => s.status)).toEqual(['completed', 'skipped']);
    expect(report.findings[0]?.id).toBe('openapi.media-type');
    expect(report.findings.map((f) => f.id)).not.toContain('auth.request-format');
  }, 60_000);
});

describe("the scenario checked against FastAPI's own /openapi.json", () => {
  const mistakes = [
    '    - request: { method: GET, url: /itemz, headers: { Authorization: "Bearer ${token}" } }',
    '    - request: { method: DELETE, url: /items, headers: { Authorization: "Bearer ${token}" } }',
    '    - request: { method: GET, url: /items }',
  ].join('\n');

  it.each([
    {
      locale: 'en',
      titles: [
        "GET /itemz: GET /itemz is not a path of the API's OpenAPI document",
        "DELETE /items: the API's OpenAPI document does not allow DELETE on this path",
        "GET /items sends no credentials, but the API's OpenAPI document says GET /items requires OAuth2PasswordBearer (oauth2)",
      ],
    },
    {
      locale: 'fr',
      titles: [
        'GET /itemz : GET /itemz n’est pas un chemin du document OpenAPI de l’API',
        'DELETE /items : le document OpenAPI de l’API n’autorise pas DELETE sur ce chemin',
        'GET /items n’envoie pas d’identifiants, mais le document OpenAPI de l’API indique que GET /items exige OAuth2PasswordBearer (oauth2)',
      ],
    },
  ])(
    'a wrong path, a wrong method, a missing token: each named from the document ($locale)',
    async ({ locale, titles }) => {
      const { code, report, port } = await run('form', 'builtin', ['--locale', locale], mistakes);
      expect(code).toBe(1);
      expect(report.openapi?.source).toBe(`http://127.0.0.1:${port}/openapi.json`);
      expect(report.openapi?.mismatches.map((m) => [m.kind, m.stepPath])).toEqual([
        ['unknown-path', 'scenario.tasks[0]'],
        ['method-not-allowed', 'scenario.tasks[1]'],
        ['security-missing', 'scenario.tasks[2]'],
      ]);
      const top = report.findings.slice(0, 3);
      expect(top.map((f) => f.id).sort()).toEqual([
        'openapi.method-not-allowed',
        'openapi.security-missing',
        'openapi.unknown-path',
      ]);
      expect(top.map((f) => f.title).sort()).toEqual([...titles].sort());
      // what the API answered backs each step that the smoke stage drew (tasks are drawn at random)
      const answered = [
        ['openapi.unknown-path', '(404)'],
        ['openapi.method-not-allowed', '(405)'],
        ['openapi.security-missing', '(401)'],
      ].flatMap(([id, status]) => {
        const line = top.find((f) => f.id === id)?.evidence.find((e) => /\(\d{3}\)$/.test(e));
        if (line) expect(line).toContain(status as string);
        return line ? [line] : [];
      });
      expect(answered.length).toBeGreaterThan(0);
    },
  );
});

describe("a JSON body checked against FastAPI's own /openapi.json", () => {
  // named apart: one endpoint name for two steps would mix their samples
  const bodies = [
    '    - name: POST /items (fields)',
    '      request: { method: POST, url: /items, headers: { Authorization: "Bearer ${token}" }, json: { title: hat } }',
    '    - name: POST /items (no body)',
    '      request: { method: POST, url: /items, headers: { Authorization: "Bearer ${token}" } }',
  ].join('\n');

  it.each([
    {
      locale: 'en',
      fields: [
        "POST /items (fields) does not send `name`, `price`, required by POST /items in the API's OpenAPI document",
        "In loadgate.yml, add `name`, `price` to the body of `scenario.tasks[0].request` (the API's field names)",
      ],
      body: [
        "POST /items (no body) sends no body, but the API's OpenAPI document says POST /items requires one",
        'In loadgate.yml, add the body under `scenario.tasks[1].request` with `json:` (application/json)',
      ],
    },
    {
      locale: 'fr',
      fields: [
        'POST /items (fields) n’envoie pas `name`, `price`, obligatoires pour POST /items dans le document OpenAPI de l’API',
        'Dans loadgate.yml, ajouter `name`, `price` au corps de `scenario.tasks[0].request` (les noms de champs de l’API)',
      ],
      body: [
        'POST /items (no body) n’envoie pas de corps, mais le document OpenAPI de l’API indique que POST /items en exige un',
        'Dans loadgate.yml, ajouter le corps sous `scenario.tasks[1].request` avec `json:` (application/json)',
      ],
    },
  ])('required fields missing, a body missing ($locale)', async ({ locale, fields, body }) => {
    const { code, report } = await run('form', 'builtin', ['--locale', locale], bodies);
    expect(code).toBe(1);
    expect(report.openapi?.mismatches).toEqual([
      expect.objectContaining({
        kind: 'fields-missing',
        stepPath: 'scenario.tasks[0]',
        operation: 'POST /items',
        fields: ['name', 'price'],
        sent: ['title'],
      }),
      expect.objectContaining({ kind: 'body-missing', stepPath: 'scenario.tasks[1]' }),
    ]);
    const say = (id: string) => {
      const f = report.findings.find((x) => x.id === id);
      return [f?.title, f?.actions[0]?.text];
    };
    expect(say('openapi.fields-missing')).toEqual(fields);
    expect(say('openapi.body-missing')).toEqual(body);
    expect(report.findings.slice(0, 2).map((f) => f.priority)).toEqual(['high', 'high']);
    // the API's own 422 backs each step the smoke stage drew (tasks are drawn at random, and
    // three iterations always draw at least one of the two)
    const answered = report.findings
      .filter((f) => f.id === 'openapi.fields-missing' || f.id === 'openapi.body-missing')
      .flatMap((f) => f.evidence.filter((e) => /\(\d{3}\)$/.test(e)));
    expect(answered.length).toBeGreaterThan(0);
    for (const line of answered) expect(line).toMatch(/\(422\)$/);
  });
});

describe('loadgate init --openapi on the FastAPI app', () => {
  const password = 'fixture-Pa55';
  let port = 0;
  let server: ReturnType<typeof spawn> | undefined;
  beforeAll(async () => {
    port = await freePort();
    server = spawn(
      '/usr/bin/python3',
      ['-m', 'uvicorn', 'fastapi_app:app', '--app-dir', path.join(ROOT, 'test', 'fixtures')].concat(
        ['--host', '127.0.0.1', '--port', String(port)],
      ),
      { env: { PATH: process.env.PATH, API_PASSWORD: password }, stdio: 'ignore' },
    );
    for (let attempt = 0; attempt < 150; attempt += 1) {
      const up = await fetch(`http://127.0.0.1:${port}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error('the FastAPI fixture app did not start');
  }, 40_000);
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('writes a config from the live document whose run passes against the app', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-init-e2e-'));
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const bin = path.join(ROOT, 'bin', 'loadgate.js');
    const init = await runNode(
      bin,
      ['init', '--openapi', `http://127.0.0.1:${port}/openapi.json`, '--out', 'loadgate.yml'],
      { cwd: dir, env },
    );
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    const written = readFileSync(path.join(dir, 'loadgate.yml'), 'utf8');
    expect(written).toContain(`target: "http://127.0.0.1:${port}"`);
    expect(written).not.toContain(password);
    const report = path.join(dir, 'report.json');
    const run = await runNode(
      bin,
      [
        'run',
        '--json',
        report,
        '--quiet',
        '--users',
        '2',
        '--spawn-rate',
        '10',
        '--duration',
        '1s',
      ],
      { cwd: dir, env: { ...env, API_USER: 'demo', API_PASSWORD: password } },
    );
    const json = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
    expect(json.stages.map((s) => [s.name, s.status])).toEqual([
      ['smoke', 'completed'],
      ['ramp', 'completed'],
    ]);
    // tasks are picked at random: which ran in which stage varies, none may fail
    const endpoints = json.stages.flatMap((s) => s.endpoints);
    expect([...new Set(endpoints.map((e) => e.name))]).toEqual(
      expect.arrayContaining(['POST /token', 'GET /items']),
    );
    expect(endpoints.filter((e) => e.failures > 0)).toEqual([]);
    expect(json.openapi?.mismatches).toEqual([]);
    expect(run.code).toBe(0);
  }, 60_000);
});
