import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/report-data.js';
import { HAS_NODE24, NODE24, pullRequestEvent, runAction } from '../support/action-runner.js';
import { writeDemoConfig } from '../support/demo-stack.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { processesWithEnv } from '../support/processes.js';
import { livePidsInGroup } from '../../src/stack/process-group.js';

const PR = 42;
let github: FakeGitHub;

beforeAll(async () => {
  // 150 comments from other people first: the sticky comment is found past page 1.
  github = await startFakeGitHub({
    owner: 'octo-org',
    repo: 'octo-repo',
    issueNumber: PR,
    seedComments: 150,
  });
});
afterAll(async () => {
  await github.close();
});

const loadgateComments = () =>
  github.comments.filter((c) => c.body.includes('<!-- loadgate:default -->'));

/**
 * `::add-mask::` is how a secret is registered with the runner (which never prints that line);
 * everything else must not contain it.
 */
function expectNoSecret(texts: string[], dir: string, secret: string) {
  const unmasked = (text: string) =>
    text
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
  for (const text of texts) expect(unmasked(text)).not.toContain(secret);
  // loadgate.yml is the test's input (it hands the secret to the demo server), not an artifact
  for (const file of readdirSync(dir).filter((f) => f !== 'loadgate.yml'))
    expect(readFileSync(path.join(dir, file), 'utf8'), file).not.toContain(secret);
}

describe('the bundled action (dist/index.js) as the runner runs it', () => {
  it('has Node 24, the runtime of action.yml, to run on (npm run setup:test installs it)', () => {
    expect(HAS_NODE24).toBe(true);
  });

  it('passes, writes outputs and summary, and keeps one sticky comment updated in place; fails on the broken login', async () => {
    const demo = await writeDemoConfig();
    const env = { LOADGATE_TEST_PASSWORD: demo.secret };
    const inputs = { config: demo.file, 'report-path': path.join(demo.dir, 'report.json') };

    // Run 1, on the action's own runtime (node24) when available.
    const first = await runAction({
      inputs,
      event: pullRequestEvent(PR),
      apiUrl: github.url,
      env,
      node: NODE24,
    });
    expect(first.stderr + first.stdout).not.toContain('::error::');
    expect(first.code).toBe(0);
    expect(first.outputs.verdict).toBe('pass');
    expect(first.outputs.reason).toBe('');
    expect(Number(first.outputs['p95-ms'])).toBeGreaterThan(0);
    expect(Number(first.outputs.rps)).toBeGreaterThan(0);
    expect(first.outputs['failure-rate']).toBe('0');
    expect(first.outputs['report-path']).toBe(path.join(demo.dir, 'report.json'));
    expect(first.summary).toContain('## ✅ loadgate: PASS');
    expect(first.stdout).toContain('::group::Load test');
    expect(loadgateComments()).toHaveLength(1);
    const comment = loadgateComments()[0]!;
    expect(first.outputs['comment-id']).toBe(String(comment.id));
    expect(first.outputs['comment-url']).toBe(
      `https://github.com/octo-org/octo-repo/pull/${PR}#issuecomment-${comment.id}`,
    );
    expect(comment.body).toContain('## ✅ loadgate: PASS');

    // Run 2: same PR, new numbers: the same comment is updated, not duplicated.
    const second = await runAction({
      inputs,
      event: pullRequestEvent(PR),
      apiUrl: github.url,
      env,
    });
    expect(second.code).toBe(0);
    expect(loadgateComments()).toHaveLength(1);
    expect(second.outputs['comment-id']).toBe(String(comment.id));

    // Run 3: the login sent as JSON: the smoke stage fails, the step fails, the comment says why.
    const broken = await writeDemoConfig({ loginAs: 'json' });
    const third = await runAction({
      inputs: { config: broken.file, 'report-path': path.join(broken.dir, 'report.json') },
      event: pullRequestEvent(PR),
      apiUrl: github.url,
      env,
      node: NODE24,
    });
    expect(third.code).toBe(1);
    expect(third.stdout).toContain(
      '::error::loadgate: fail: Smoke stage failed: POST /token returned 422 for every request',
    );
    expect(third.outputs.verdict).toBe('fail');
    expect(third.outputs.reason).toBe('smoke-failed');
    expect(loadgateComments()).toHaveLength(1);
    const body = loadgateComments()[0]!.body;
    expect(body).toContain('Smoke stage failed: POST /token returned 422');
    expect(body).toContain('HTTP 422');
    expect(body).toContain('"loc":["body","username"]');
    expect(body).toContain('`auth.request-format`');
    const report = JSON.parse(
      readFileSync(path.join(broken.dir, 'report.json'), 'utf8'),
    ) as JsonReport;
    expect(report.findings[0]?.id).toBe('auth.request-format');

    const posts = github.requests.filter(
      (r) => r.method === 'POST' && r.path.endsWith(`/issues/${PR}/comments`),
    );
    const patches = github.requests.filter((r) => r.method === 'PATCH');
    expect(posts).toHaveLength(1);
    expect(patches.length).toBeGreaterThanOrEqual(2);
    expect(
      github.requests.every(
        (r) => r.headers.authorization === 'token ghs_fakeTokenForTests0123456789',
      ),
    ).toBe(true);
    expect(github.violations).toEqual([]);

    for (const run of [first, second, third]) {
      expect(run.stdout).toContain(`::add-mask::${demo.secret}`);
      expectNoSecret(
        [run.stdout, run.stderr, JSON.stringify(run.outputs), run.summary],
        run.dir,
        demo.secret,
      );
    }
    expectNoSecret(
      github.comments.map((c) => c.body),
      demo.dir,
      demo.secret,
    );
    expect(processesWithEnv('LOADGATE_TEST_MARK', demo.dir)).toEqual([]);
    expect(processesWithEnv('LOADGATE_TEST_MARK', broken.dir)).toEqual([]);
  });

  it('a 403 on the comment (fork PR) is a warning; the gate still decides', async () => {
    const demo = await writeDemoConfig();
    github.failNext('POST', `/repos/octo-org/octo-repo/issues/${PR + 1}/comments`, 403, 1);
    const run = await runAction({
      inputs: { config: demo.file, 'report-path': path.join(demo.dir, 'report.json') },
      event: pullRequestEvent(PR + 1),
      apiUrl: github.url,
      env: { LOADGATE_TEST_PASSWORD: demo.secret },
    });
    expect(run.code).toBe(0);
    expect(run.outputs.verdict).toBe('pass');
    expect(run.stdout).toContain(
      '::warning::could not post the PR comment (a fork PR or a token without `pull-requests: write`)',
    );
  });

  it('a PR that is gone (404 on the comments) is a warning; the gate still decides', async () => {
    const demo = await writeDemoConfig({ loginAs: 'json' });
    github.failNext('GET', `/repos/octo-org/octo-repo/issues/${PR + 2}/comments`, 404, 1);
    const run = await runAction({
      inputs: { config: demo.file, 'report-path': path.join(demo.dir, 'report.json') },
      event: pullRequestEvent(PR + 2),
      apiUrl: github.url,
      env: { LOADGATE_TEST_PASSWORD: demo.secret },
    });
    expect(run.code).toBe(1); // the gate failed (smoke stage): that decides, not the comment
    expect(run.outputs.verdict).toBe('fail');
    expect(run.stdout).toContain('::warning::could not post the PR comment');
  });

  it('the post step stops a stack the main step left behind', async () => {
    const child = spawn('/bin/sh', ['-c', 'sleep 60 & sleep 60 & wait'], {
      detached: true,
      stdio: 'ignore',
    });
    const pgid = child.pid!;
    await new Promise((r) => setTimeout(r, 100));
    expect(livePidsInGroup(pgid).length).toBeGreaterThan(0);
    const run = await runAction({
      entry: 'dist/post/index.js',
      inputs: {},
      event: pullRequestEvent(PR),
      apiUrl: github.url,
      env: { 'STATE_stack-pgid': String(pgid) },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `stopping the stack left by the main step (process group ${pgid})`,
    );
    expect(livePidsInGroup(pgid)).toEqual([]);
  });
});
