import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/report-data.js';
import { freePort, ROOT } from '../support/demo-stack.js';
import { processesMatching } from '../support/processes.js';
import { runNode } from '../support/run-node.js';

// The seed's stack for real: FastAPI's OAuth2PasswordRequestForm login under Debian's uvicorn.
// Debian's Python packages are only visible to /usr/bin/python3 (not the pyenv python3 on PATH).
async function fastapiConfig(loginAs: 'form' | 'json', engine = 'builtin') {
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
    - request: { method: GET, url: /items, headers: { Authorization: "Bearer \${token}" } }
stages:
  smoke: { users: 1, iterations: 3 }
  ramp: { users: 5, spawn-rate: 10, duration: 1500ms }
thresholds:
  p95: "< 5s"
`,
  );
  return { dir, file, port };
}

async function run(loginAs: 'form' | 'json', engine = 'builtin') {
  const config = await fastapiConfig(loginAs, engine);
  const report = path.join(config.dir, 'report.json');
  const result = await runNode(
    path.join(ROOT, 'bin', 'loadgate.js'),
    ['run', '--config', config.file, '--json', report, '--quiet'],
    {
      cwd: config.dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, FIXTURE_PASSWORD: 'fixture-Pa55' },
    },
  );
  expect(processesMatching(`--port ${config.port}`)).toEqual([]);
  return { ...result, report: JSON.parse(readFileSync(report, 'utf8')) as JsonReport };
}

describe('a FastAPI stack under uvicorn', () => {
  it('the seed case: a JSON login to OAuth2PasswordRequestForm is caught by the smoke stage and named', async () => {
    const { code, report, stdout } = await run('json');
    expect(code).toBe(1);
    expect(report.stages.map((s) => s.status)).toEqual(['completed', 'skipped']);
    const token = report.stages[0]?.endpoints.find((e) => e.name === 'POST /token');
    expect(token?.statusCodes).toEqual({ '422': 1 });
    expect(token?.errors[0]?.sample.response?.body).toContain('"loc":["body","username"]');
    expect(report.findings[0]?.id).toBe('auth.request-format');
    expect(stdout).not.toContain('fixture-Pa55');
  });

  it('the fixed config (form data) passes: login, bearer token, ramp', async () => {
    const { code, report, stdout } = await run('form');
    expect(code).toBe(0);
    expect(report.verdict).toBe('pass');
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
    expect(report.findings[0]?.id).toBe('auth.request-format');
  }, 60_000);
});
