import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ErrorKind } from '../../src/model/run-result.js';
import type { JsonReport } from '../../src/report/report-data.js';
import { freePort, ROOT } from '../support/demo-stack.js';
import { processesWithEnv } from '../support/processes.js';
import { runNode } from '../support/run-node.js';

// One table of faults on real servers, each run three ways through the bundled CLI: the built-in
// engine with a YAML scenario, `engine: locust` with the same scenario (a generated locustfile),
// and `engine: locust` with a hand-written locustfile making the same requests. The three must
// name the same cause (the top finding) and give the same exit code.

const BIN = path.join(ROOT, 'bin', 'loadgate.js');
const FIXTURES = path.join(ROOT, 'test', 'fixtures');
const PASSWORD = 'demo-password';

type Server = 'fault-api' | 'fastapi' | 'crashy' | 'none';

interface Fault {
  fault: string;
  server: Server;
  /** FAULT (fault-api, fastapi) or CRASH_AFTER (crashy) */
  env?: Record<string, string>;
  /** the login's body as the scenario sends it (json is the seed's mistake); none: no login */
  login: 'form' | 'json' | 'none';
  password?: string;
  /** the task's path and whether it sends the token */
  url?: string;
  sendToken?: boolean;
  /**
   * the kinds of the failures of every stage, the same in every engine (sorted); `among`: the
   * kinds a crash may give, depending on the moment each request met it
   */
  kinds: ErrorKind[] | { among: ErrorKind[] };
  /** the expected top finding (undefined: nothing above Low), stage statuses and exit code */
  id: string | undefined;
  stages: string[];
  code: number;
}

const CAUGHT_BY_SMOKE = ['completed', 'skipped'];

const FAULTS: Fault[] = [
  {
    fault: 'JSON sent to a form login (FastAPI OAuth2PasswordRequestForm → 422)',
    server: 'fastapi',
    login: 'json',
    kinds: ['status'],
    id: 'auth.request-format',
    stages: CAUGHT_BY_SMOKE,
    code: 1,
  },
  {
    fault: 'wrong password (401 at the login)',
    server: 'fault-api',
    login: 'form',
    password: 'not-the-password',
    kinds: ['status'],
    id: 'auth.invalid-credentials',
    stages: CAUGHT_BY_SMOKE,
    code: 1,
  },
  {
    fault: 'token not sent (401 on the calls)',
    server: 'fault-api',
    login: 'form',
    sendToken: false,
    kinds: ['status'],
    id: 'auth.token-rejected',
    stages: CAUGHT_BY_SMOKE,
    code: 1,
  },
  {
    fault: 'token rejected (401 with the token)',
    server: 'fault-api',
    env: { FAULT: 'token-rejected' },
    login: 'form',
    kinds: ['status'],
    id: 'auth.token-rejected',
    stages: CAUGHT_BY_SMOKE,
    code: 1,
  },
  {
    fault: 'wrong path (404)',
    server: 'fault-api',
    login: 'form',
    url: '/item',
    kinds: ['status'],
    id: 'http.not-found',
    stages: CAUGHT_BY_SMOKE,
    code: 1,
  },
  {
    fault: 'rate limit under load (429 past 40 requests/s)',
    server: 'fault-api',
    env: { FAULT: 'rate-limit' },
    login: 'form',
    kinds: ['status'],
    id: 'rate-limited',
    stages: ['completed', 'completed'],
    code: 1,
  },
  {
    fault: 'database down (500 + OperationalError in the stack log)',
    server: 'fault-api',
    env: { FAULT: 'db-down' },
    login: 'form',
    kinds: ['status'],
    id: 'database.unavailable',
    stages: CAUGHT_BY_SMOKE,
    code: 1,
  },
  {
    fault: 'nothing listening on the target',
    server: 'none',
    login: 'form',
    kinds: ['refused'],
    id: 'stack.unreachable',
    stages: CAUGHT_BY_SMOKE,
    code: 1,
  },
  {
    fault: 'the stack crashes mid-run',
    server: 'crashy',
    env: { CRASH_AFTER: '25' },
    login: 'none',
    url: '/work',
    kinds: { among: ['closed', 'refused', 'reset'] },
    id: 'stack.crashed',
    stages: ['completed', 'aborted'],
    code: 1,
  },
  {
    fault: 'healthy',
    server: 'fault-api',
    login: 'form',
    kinds: [],
    id: undefined,
    stages: ['completed', 'completed'],
    code: 0,
  },
];

const ENGINES = ['builtin', 'locust (generated)', 'locust (locustfile)'] as const;
type Engine = (typeof ENGINES)[number];

/** The stack of a row; every process of it carries LOADGATE_TEST_MARK=mark (to find leftovers). */
function stackYaml(f: Fault, port: number, mark: string): string {
  const env = { PORT: String(port), LOADGATE_TEST_MARK: mark, ...f.env };
  const envYaml = `{ ${Object.entries(env)
    .map(([k, v]) => `${k}: "${v}"`)
    .join(', ')} }`;
  switch (f.server) {
    case 'none':
      return '';
    case 'fastapi':
      return `stack:
  start: /usr/bin/python3 -m uvicorn fastapi_app:app --app-dir ${JSON.stringify(FIXTURES)} --host 127.0.0.1 --port ${port}
  env: { API_PASSWORD: "${PASSWORD}", FAULT: "${f.env?.FAULT ?? 'none'}", LOADGATE_TEST_MARK: "${mark}" }
  ready: http://127.0.0.1:${port}/health
  ready-timeout: 30s
`;
    case 'fault-api':
    case 'crashy':
      return `stack:
  start: node ${JSON.stringify(path.join(FIXTURES, f.server === 'crashy' ? 'crashy-server.mjs' : 'fault-api.mjs'))}
  env: ${envYaml}
  ready: http://127.0.0.1:${port}/health
`;
  }
}

function scenarioYaml(f: Fault): string {
  const url = f.url ?? '/items';
  const auth = f.login !== 'none' && f.sendToken !== false;
  const setup =
    f.login === 'none'
      ? ''
      : `  setup:
    - name: POST /token
      request:
        method: POST
        url: /token
        ${f.login}: { username: demo, password: "\${env.CONFORMANCE_PASSWORD}" }
      capture: { token: json.access_token }
      check: { status: 200 }
`;
  return `scenario:
${setup}  tasks:
    - request: { method: GET, url: ${url}${auth ? ', headers: { Authorization: "Bearer ${token}" }' : ''} }
`;
}

/** The same requests as the scenario, as someone would write them by hand. */
function locustfile(f: Fault): string {
  const url = f.url ?? '/items';
  const auth = f.login !== 'none' && f.sendToken !== false;
  const body = f.login === 'json' ? 'json' : 'data';
  return `import os
from locust import HttpUser, task, constant


class ApiUser(HttpUser):
    wait_time = constant(0)
${
  f.login === 'none'
    ? ''
    : `
    def on_start(self):
        r = self.client.post("/token", ${body}={"username": "demo", "password": os.environ["CONFORMANCE_PASSWORD"]})
        self.token = r.json().get("access_token")
`
}
    @task
    def call(self):
        self.client.get("${url}"${auth ? ', headers={"Authorization": f"Bearer {self.token}"}' : ''})
`;
}

async function runFault(f: Fault, engine: Engine) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-conformance-'));
  const load =
    engine === 'builtin'
      ? scenarioYaml(f)
      : engine === 'locust (generated)'
        ? `engine: locust\n${scenarioYaml(f)}`
        : 'engine: locust\nlocustfile: locustfile.py\n';
  if (engine === 'locust (locustfile)')
    writeFileSync(path.join(dir, 'locustfile.py'), locustfile(f));
  writeFileSync(
    path.join(dir, 'loadgate.yml'),
    // openapi: false: the engines are compared on what they saw (a locustfile is never checked
    // against the document, a scenario is: FastAPI's would name the form login before any request)
    `target: http://127.0.0.1:${port}
openapi: false
${stackYaml(f, port, dir)}${load}stages:
  smoke: { users: 1, iterations: 2 }
  ramp: { users: 5, spawn-rate: 10, duration: 2s }
thresholds:
  p95: "< 10s"
`,
  );
  const run = await runNode(
    BIN,
    ['run', '--config', 'loadgate.yml', '--json', 'report.json', '--quiet'],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CONFORMANCE_PASSWORD: f.password ?? PASSWORD,
      },
      timeoutMs: 90_000,
    },
  );
  const report = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as JsonReport;
  return { run, report, mark: dir };
}

describe.each(FAULTS)('$fault', (f) => {
  it.each(ENGINES)(`%s → ${f.id ?? 'nothing above Low'}, exit ${f.code}`, async (engine) => {
    const { run, report, mark } = await runFault(f, engine);
    // the cause named first; a Low finding (such as a busy generator on a small runner) is none
    const top = report.findings[0];
    const cause = top && top.priority !== 'low' ? top.id : undefined;
    expect(
      { engine: report.engine, cause, stages: report.stages.map((s) => s.status), code: run.code },
      run.stderr,
    ).toEqual({
      engine: engine === 'builtin' ? 'builtin' : 'locust',
      cause: f.id,
      stages: f.stages,
      code: f.code,
    });
    // every failure has the same kind in every engine, whatever words each engine gives it
    const kinds = [
      ...new Set(report.stages.flatMap((s) => s.total.errors.map((e) => e.kind ?? 'none'))),
    ].sort();
    if (Array.isArray(f.kinds)) expect(kinds).toEqual(f.kinds);
    else {
      expect(kinds.length).toBeGreaterThan(0);
      expect(f.kinds.among).toEqual(expect.arrayContaining(kinds));
    }
    expect(processesWithEnv('LOADGATE_TEST_MARK', mark)).toEqual([]);
  });
});
