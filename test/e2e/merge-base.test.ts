import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/report-data.js';
import { DEMO_SERVER, freePort, ROOT } from '../support/demo-stack.js';
import { runAction } from '../support/action-runner.js';
import { runNode } from '../support/run-node.js';

// A real git repository with two commits of a stack: the base answers at once, the PR's
// commit waits 40 ms per request. `baseline: merge-base` runs both on this runner.
async function repoWithSlowerHead() {
  const repo = mkdtempSync(path.join(tmpdir(), 'lg-repo-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], {
      cwd: repo,
      stdio: 'pipe',
    });
  const port = await freePort();
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(repo, 'delay.txt'), '0');
  writeFileSync(
    path.join(repo, 'start.sh'),
    `RESPONSE_DELAY_MS=$(cat delay.txt) exec node ${JSON.stringify(DEMO_SERVER)}\n`,
  );
  writeFileSync(
    path.join(repo, 'loadgate.yml'),
    `target: http://127.0.0.1:${port}
stack: { start: sh start.sh, env: { PORT: "${port}" }, ready: "http://127.0.0.1:${port}/health" }
scenario:
  setup: [ { request: { method: POST, url: /token, form: { username: demo, password: demo-password } }, capture: { token: json.access_token } } ]
  tasks: [ { request: { url: /items, headers: { Authorization: "Bearer \${token}" } } } ]
stages: { smoke: { iterations: 2 }, ramp: { users: 10, spawn-rate: 50, duration: 2s } }
baseline: merge-base
baseline-ref: main
openapi: openapi.json
`,
  );
  // the API's document wants JSON at /token, the scenario sends a form (the API accepts it)
  writeFileSync(
    path.join(repo, 'openapi.json'),
    JSON.stringify({
      openapi: '3.0.2',
      info: { title: 'demo', version: '1' },
      paths: {
        '/token': {
          post: {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            responses: { '200': { description: 'ok' } },
          },
        },
        '/items': { get: { responses: { '200': { description: 'ok' } } } },
      },
    }),
  );
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'pr');
  writeFileSync(path.join(repo, 'delay.txt'), '40');
  git('commit', '-q', '-am', 'slower');
  return repo;
}

describe('baseline: merge-base (same-runner A/B)', () => {
  it('runs the base commit first on this runner, then the PR, and fails on the regression', async () => {
    const repo = await repoWithSlowerHead();
    const report = path.join(repo, 'out', 'report.json');
    const run = await runNode(
      path.join(ROOT, 'bin', 'loadgate.js'),
      ['run', '--config', 'loadgate.yml', '--json', report, '--quiet'],
      {
        cwd: repo,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    expect(run.stderr).toContain('── Baseline: Load test');
    // the scenario is checked against the OpenAPI document once: for the PR's run, not the base's
    const warnings = run.stderr.split('\n').filter((l) => /application\/json/.test(l));
    expect(warnings).toHaveLength(1);
    expect(run.code).toBe(1);
    const json = JSON.parse(readFileSync(report, 'utf8')) as JsonReport;
    const base = execFileSync('git', ['rev-parse', 'main'], { cwd: repo }).toString().trim();
    expect(json.baseline).toEqual({ commit: base, source: 'merge-base with main' });
    expect(json.thresholds).toContainEqual(
      expect.objectContaining({
        kind: 'regression',
        metric: 'p95',
        scope: 'GET /items',
        status: 'fail',
      }),
    );
    expect(json.findings[0]?.id).toBe('latency.regression');
    // the worktree is gone
    expect(
      execFileSync('git', ['worktree', 'list'], { cwd: repo }).toString().trim().split('\n'),
    ).toHaveLength(1);
  });

  it('a ref that does not exist is a config error naming baseline-ref', async () => {
    const repo = await repoWithSlowerHead();
    writeFileSync(
      path.join(repo, 'loadgate.yml'),
      readFileSync(path.join(repo, 'loadgate.yml'), 'utf8').replace(
        'baseline-ref: main',
        'baseline-ref: nope',
      ),
    );
    const run = await runNode(
      path.join(ROOT, 'bin', 'loadgate.js'),
      ['run', '--config', 'loadgate.yml', '--json', 'r.json', '--quiet'],
      {
        cwd: repo,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('`baseline-ref`: cannot find the merge-base of HEAD and nope');
  });

  it("the action saves the merge-base stack's process group too, for its post step", async () => {
    const repo = await repoWithSlowerHead();
    const run = await runAction({
      inputs: { config: 'loadgate.yml' },
      event: { name: 'push', payload: {} },
      apiUrl: 'http://127.0.0.1:9',
      cwd: repo,
      env: { GITHUB_SHA: 'c'.repeat(40) },
    });
    expect(run.stdout).toContain('Baseline: Load test');
    // every stack-pgid the main step saved, in order: the baseline's, the PR's, then cleared
    const saved = [
      ...readFileSync(path.join(run.dir, 'state'), 'utf8').matchAll(
        /^stack-pgid<<(.+)\n(.*)\n\1$/gm,
      ),
    ].map((m) => m[2]);
    expect(saved).toHaveLength(3);
    expect(saved[0]).toMatch(/^\d+$/);
    expect(saved[1]).toMatch(/^\d+$/);
    expect(saved[0]).not.toBe(saved[1]);
    expect(saved[2]).toBe('');
  });
});
