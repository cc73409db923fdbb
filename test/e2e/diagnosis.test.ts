import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/report-data.js';
import { ROOT, writeDemoConfig } from '../support/demo-stack.js';
import { runNode } from '../support/run-node.js';

const FAULT_API = path.join(ROOT, 'test', 'fixtures', 'fault-api.mjs');

/** Runs the whole pipeline (the bundled CLI) against the fault API with one fault switched on. */
async function diagnoseFault(
  fault: string,
  options: { ramp?: string; p95?: string; think?: string; login?: string } = {},
) {
  const { dir, file, port } = await writeDemoConfig();
  writeFileSync(
    file,
    `target: http://127.0.0.1:${port}
stack:
  start: node ${JSON.stringify(FAULT_API)}
  env: { PORT: "${port}", FAULT: ${fault} }
  ready: http://127.0.0.1:${port}/health
scenario:
  setup:
    - name: POST /token
      request: { method: POST, url: /token, form: { username: demo, password: ${options.login ?? 'demo-password'} } }
      capture: { token: json.access_token }
  tasks:
    - request: { url: /items, headers: { Authorization: "Bearer \${token}" } }
  think: ${options.think ?? 'none'}
stages:
  smoke: { iterations: 3 }
  ramp: ${options.ramp ?? '{ users: 20, spawn-rate: 20, duration: 3s }'}
thresholds:
  p95: "${options.p95 ?? '< 1s'}"
`,
  );
  const reportPath = path.join(dir, 'report.json');
  const run = await runNode(
    path.join(ROOT, 'bin', 'loadgate.js'),
    ['run', '--config', file, '--json', reportPath, '--quiet'],
    {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    },
  );
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport;
  return { run, report, markdown: run.stdout };
}

describe('diagnosis through the real pipeline, one fault at a time', () => {
  it.each([
    {
      fault: 'db-down',
      id: 'database.unavailable',
      evidence: 'log: sqlalchemy.exc.OperationalError',
    },
    {
      fault: 'server-error',
      id: 'server.errors',
      evidence: "log: TypeError: Cannot read properties of undefined (reading 'price')",
    },
    {
      fault: 'token-rejected',
      id: 'auth.token-rejected',
      evidence: 'while the login answered 2xx',
    },
  ])('$fault → $id, caught by the smoke stage', async ({ fault, id, evidence }) => {
    const { run, report, markdown } = await diagnoseFault(fault);
    expect(run.code).toBe(1);
    expect(report.stages[1]?.status).toBe('skipped');
    expect(report.findings[0]?.id).toBe(id);
    expect(report.findings[0]?.evidence.join('\n')).toContain(evidence);
    expect(markdown).toContain(`\`${id}\``);
  });

  it('wrong credentials → auth.invalid-credentials', async () => {
    const { report } = await diagnoseFault('none', { login: 'not-the-password' });
    expect(report.findings[0]?.id).toBe('auth.invalid-credentials');
    expect(report.findings[0]?.evidence.join('\n')).toContain('Incorrect username or password');
  });

  it('429 under load → rate-limited, with the load where it began and Retry-After', async () => {
    const { report } = await diagnoseFault('rate-limit', {
      ramp: '{ users: 20, spawn-rate: 10, duration: 3s }',
    });
    expect(report.stages.map((s) => s.status)).toEqual(['completed', 'completed']);
    const finding = report.findings[0];
    expect(finding?.id).toBe('rate-limited');
    const evidence = finding?.evidence.join('\n');
    expect(evidence).toMatch(/the first 429 came in second \d+ of the ramp, with \d+ users/);
    expect(evidence).toContain('Retry-After: 1');
    expect(evidence).toContain('the smoke stage (1 user) passed: this only happens under load');
  });

  it('connections reset under load → capacity.timeouts', async () => {
    const { report } = await diagnoseFault('reset-under-load');
    expect(report.stages[0]?.total.failures).toBe(0);
    expect(report.findings[0]?.id).toBe('capacity.timeouts');
  });

  it('a CPU-bound API → capacity.cpu-bound with the knee, above the p95 finding it explains', async () => {
    const { report } = await diagnoseFault('cpu-bound', {
      ramp: '{ users: 40, spawn-rate: 8, duration: 7s }',
      think: '20ms',
      p95: '< 15ms',
    });
    const ids = report.findings.map((f) => f.id);
    expect(ids[0]).toBe('capacity.cpu-bound');
    expect(ids).toContain('latency.threshold');
    const cpu = report.findings[0];
    expect(cpu?.title).toMatch(
      /^The API is CPU-bound: throughput stops at ~\d+ requests\/s from \d+ users on, its CPU full$/,
    );
    expect(cpu?.evidence[0]).toMatch(/^knee: throughput stopped growing at \d+ users/);
    expect(cpu?.evidence.join('\n')).toMatch(/the stack’s busiest process saturated for \d+ s/);
    const latency = report.findings.find((f) => f.id === 'latency.threshold');
    expect(latency?.evidence[1]).toMatch(/^explained by `capacity.cpu-bound`: /);
  });

  it('a healthy run raises nothing above Low', async () => {
    const { run, report } = await diagnoseFault('none');
    expect(run.code).toBe(0);
    expect(report.findings.filter((f) => f.priority !== 'low')).toEqual([]);
  });
});
