import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/report-data.js';
import { freePort, ROOT } from '../support/demo-stack.js';
import { runNode } from '../support/run-node.js';

/**
 * The rules on a third-party API server from npm, as a team would meet it: json-server with
 * json-server-auth (JSON login answering `400 "Incorrect password"`, bcrypt, JWT-guarded routes).
 * Each test runs the bundled CLI on it with one mistake in the scenario.
 */
const APP = path.join(ROOT, 'test', 'fixtures', 'json-server-auth-app.mjs');

interface Mistake {
  /** The login step's body (`json:` or `form:` with its fields). */
  login?: string;
  /** The guarded request's headers. */
  headers?: string;
  locale?: 'en' | 'fr';
}

async function runOnJsonServerAuth(mistake: Mistake = {}) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-npm-api-'));
  const file = path.join(dir, 'loadgate.yml');
  writeFileSync(
    file,
    `target: http://127.0.0.1:${port}
locale: ${mistake.locale ?? 'en'}
stack:
  start: node ${JSON.stringify(APP)}
  env: { PORT: "${port}", DB_FILE: ${JSON.stringify(path.join(dir, 'db.json'))}, SEED_EMAIL: demo@example.com, SEED_PASSWORD: "\${env.API_PASSWORD}" }
  ready: http://127.0.0.1:${port}/posts
scenario:
  setup:
    - name: POST /login
      request:
        method: POST
        url: /login
        ${mistake.login ?? 'json: { email: demo@example.com, password: "${env.API_PASSWORD}" }'}
      capture: { token: json.accessToken }
  tasks:
    - name: GET /600/users/1
      request: { url: /600/users/1, headers: ${mistake.headers ?? '{ Authorization: "Bearer ${token}" }'} }
  think: none
stages:
  smoke: { iterations: 2 }
  ramp: { users: 5, spawn-rate: 10, duration: 2s }
thresholds:
  failure-rate: "< 1%"
  p95: "< 2s"
`,
  );
  const reportPath = path.join(dir, 'report.json');
  const run = await runNode(
    path.join(ROOT, 'bin', 'loadgate.js'),
    ['run', '--config', file, '--json', reportPath, '--quiet'],
    {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, API_PASSWORD: 'canary-Secret-42' },
    },
  );
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport;
  return { run, report, text: `${run.stdout}\n${readFileSync(reportPath, 'utf8')}` };
}

describe('diagnosis on a real npm API server (json-server-auth)', () => {
  it('a correct JSON login and bearer token: the gate passes, nothing above Low', async () => {
    const { run, report } = await runOnJsonServerAuth();
    expect(run.code).toBe(0);
    expect(report.stages.map((s) => s.total.failures)).toEqual([0, 0]);
    expect(report.findings.filter((f) => f.priority !== 'low')).toEqual([]);
  });

  it('a wrong password in a JSON login: invalid credentials, never "send a form"', async () => {
    const { run, report, text } = await runOnJsonServerAuth({
      login: 'json: { email: demo@example.com, password: not-the-password }',
    });
    expect(run.code).toBe(1);
    expect(report.stages[1]?.status).toBe('skipped');
    expect(report.findings[0]?.id).toBe('auth.invalid-credentials');
    expect(report.findings[0]?.evidence.join('\n')).toContain('Incorrect password');
    expect(report.findings.map((f) => f.id)).not.toContain('auth.request-format');
    expect(text).not.toMatch(/form data|`form:`/);
    expect(text).not.toContain('canary-Secret-42');
  });

  it('an unknown user: invalid credentials too', async () => {
    const { report } = await runOnJsonServerAuth({
      login: 'json: { email: nobody@example.com, password: "${env.API_PASSWORD}" }',
    });
    expect(report.findings[0]?.id).toBe('auth.invalid-credentials');
    expect(report.findings[0]?.evidence.join('\n')).toContain('Cannot find user');
  });

  it.each([
    {
      locale: 'en' as const,
      action:
        "Send `email` (the API's field) instead of `username` in `scenario.setup[0].request.json`",
    },
    {
      locale: 'fr' as const,
      action:
        'Envoyer `email` (le champ de l’API) au lieu de `username` dans `scenario.setup[0].request.json`',
    },
  ])(
    'a login field the API calls otherwise ($locale): name its field',
    async ({ locale, action }) => {
      const { report } = await runOnJsonServerAuth({
        locale,
        login: 'json: { username: demo@example.com, password: "${env.API_PASSWORD}" }',
      });
      expect(report.findings[0]?.id).toBe('request.fields-missing');
      expect(report.findings[0]?.actions[0]?.text).toBe(action);
      expect(report.findings.map((f) => f.id)).not.toContain('auth.request-format');
    },
  );

  it('a token sent without its scheme: the API says so, and the action names the scheme', async () => {
    const { report } = await runOnJsonServerAuth({ headers: '{ Authorization: "${token}" }' });
    const top = report.findings[0];
    expect(top?.id).toBe('auth.token-rejected');
    expect(top?.evidence.join('\n')).toContain('Incorrect authorization scheme');
    expect(top?.evidence).toContain('the API says the authorization scheme is wrong');
    // the usual scheme, re-sent once: the API accepted it
    expect(top?.evidence).toContain(
      'confirmed by a probe: the same request with `Authorization: Bearer …` answered 200',
    );
    expect(top?.actions[0]?.text).toBe(
      'Send the token with the scheme the API accepted when probed: `Authorization: "Bearer ${token}"` in `scenario.tasks[0].request.headers`',
    );
  });

  it('a guarded route called without the token: "send the token"', async () => {
    const { report } = await runOnJsonServerAuth({ headers: '{}' });
    const top = report.findings[0];
    expect(top?.id).toBe('auth.token-rejected');
    expect(top?.evidence.join('\n')).toContain('Missing authorization header');
    expect(top?.evidence).toContain('the API says it received no token');
    expect(top?.actions[0]?.text).toBe(
      'Send the login\'s token: add `headers: { Authorization: "Bearer ${token}" }` to `scenario.tasks[0].request` (the scheme the API accepted when probed)',
    );
  });
});
