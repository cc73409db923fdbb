import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/report-data.js';
import { NODE24, pullRequestEvent, runAction } from '../support/action-runner.js';
import { writeDemoConfig } from '../support/demo-stack.js';
import { unzipSync } from 'fflate';
import type { FakeGitHub, FakeWorkflowRun } from '../support/fake-github.js';
import { fakeGitHubPerTest } from '../support/fake-github-per-test.js';

const REPO = { owner: 'octo-org', repo: 'octo-repo' };
const repository = {
  name: 'octo-repo',
  full_name: 'octo-org/octo-repo',
  owner: { login: 'octo-org' },
};
const BASE_SHA = 'b'.repeat(40);
const HEAD_SHA = 'a'.repeat(40);

const startGitHub = fakeGitHubPerTest();

/**
 * Runs the gate (mode: run) on the demo stack for a PR event (or a push, without `number`) and
 * returns its JSON report. With `uploadTo`, the job runs inside that workflow run and can
 * upload artifacts to it (the runner's ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL).
 */
async function gate(
  fake: FakeGitHub,
  options: {
    delayMs?: number;
    number?: number;
    inputs?: Record<string, string>;
    uploadTo?: FakeWorkflowRun;
    node?: string;
  },
) {
  const demo = await writeDemoConfig({ delayMs: options.delayMs ?? 0 });
  const reportPath = path.join(demo.dir, 'loadgate-report.json');
  const event =
    options.number === undefined
      ? { name: 'push', payload: { ref: 'refs/heads/main', after: BASE_SHA } }
      : pullRequestEvent(options.number);
  const run = await runAction({
    inputs: { config: demo.file, 'report-path': reportPath, ...options.inputs },
    event: {
      ...event,
      payload: { ...event.payload, repository: { ...repository, default_branch: 'main' } },
    },
    apiUrl: fake.url,
    node: options.node,
    env: {
      LOADGATE_TEST_PASSWORD: demo.secret,
      ...(options.uploadTo
        ? {
            ACTIONS_RUNTIME_TOKEN: fake.runtimeToken(options.uploadTo),
            ACTIONS_RESULTS_URL: `${fake.url}/`,
            GITHUB_SHA: options.uploadTo.headSha,
            GITHUB_RUN_ID: String(options.uploadTo.id),
          }
        : {}),
    },
  });
  const text = readFileSync(reportPath, 'utf8');
  return { run, text, report: JSON.parse(text) as JsonReport };
}

function workflowRunEvent(runId: number, pullRequests: number[] = []) {
  return {
    name: 'workflow_run',
    payload: {
      action: 'completed',
      workflow_run: {
        id: runId,
        head_sha: HEAD_SHA,
        event: 'pull_request',
        conclusion: 'failure',
        pull_requests: pullRequests.map((number) => ({ number })),
      },
      repository,
    },
  };
}

describe('the action and the GitHub artifacts (bundled dist/index.js, fake GitHub API)', () => {
  it('gates a PR against the report its base commit uploaded, and fails on the regression', async () => {
    const github = await startGitHub({ ...REPO, issueNumber: 5 });
    // the push run of the base commit, on the fast stack, uploads its report itself
    const baseRun = github.addWorkflowRun({ headSha: BASE_SHA });
    const base = await gate(github, { uploadTo: baseRun, node: NODE24 }); // the action's runtime
    expect(base.report.verdict).toBe('pass');
    expect(base.run.stdout).toContain('report uploaded: artifact loadgate-report');
    const uploaded = github.artifacts.find((a) => a.runId === baseRun.id);
    expect(uploaded?.name).toBe('loadgate-report');
    const files = unzipSync(uploaded!.zip);
    expect(Object.keys(files).sort()).toEqual([
      'loadgate-report.html',
      'loadgate-report.json',
      'loadgate-stack.log',
    ]);
    expect(new TextDecoder().decode(files['loadgate-report.html'])).toContain(
      '<h1>loadgate: PASS — ',
    );
    // the job summary says where the HTML report is
    expect(base.run.summary).toContain(
      `Full report: \`loadgate-report.html\` in the run's artifact [run ${baseRun.id}](https://github.com/octo-org/octo-repo/actions/runs/${baseRun.id}).`,
    );
    expect(JSON.parse(new TextDecoder().decode(files['loadgate-report.json']))).toMatchObject({
      commit: BASE_SHA,
      verdict: 'pass',
    });

    // the PR makes every request 60 ms slower
    const pr = await gate(github, { number: 5, delayMs: 60 });

    expect(pr.run.stdout).toContain(`baseline: artifact loadgate-report of run ${baseRun.id}`);
    expect(pr.report.baseline).toMatchObject({ commit: BASE_SHA });
    expect(pr.run.outputs['baseline-sha']).toBe(BASE_SHA);
    expect(pr.run.outputs.verdict).toBe('fail');
    expect(Number(pr.run.outputs.regressions)).toBeGreaterThan(0);
    expect(pr.run.code).toBe(1);
    expect(pr.run.summary).toContain('Compared with the baseline `bbbbbbb`');
    const comment = github.comments.find((c) => c.issueNumber === 5);
    expect(comment?.body).toMatch(/regression/i);
    // the storage link was fetched without the token
    const blob = github.requests.find((r) => r.path.startsWith('/_blob/'));
    expect(blob?.headers.authorization).toBeUndefined();
  });

  it('an upload that fails (the name is taken, as by a second matrix job) is a warning', async () => {
    const github = await startGitHub(REPO);
    const run = github.addWorkflowRun({
      headSha: BASE_SHA,
      artifacts: [{ name: 'loadgate-report', files: { 'other.json': '{}' } }],
    });
    const push = await gate(github, { uploadTo: run });
    expect(push.run.code).toBe(0);
    expect(push.run.outputs.verdict).toBe('pass');
    expect(push.run.stdout).toContain(
      '::warning::could not upload the report as the `loadgate-report` artifact',
    );
    expect(push.run.stdout).toContain('already exists');
    expect(github.artifacts).toHaveLength(1);
  });

  it('no baseline anywhere: a notice, and the PR passes', async () => {
    const github = await startGitHub({ ...REPO, issueNumber: 6 });
    const pr = await gate(github, { number: 6 });
    expect(pr.run.code).toBe(0);
    expect(pr.run.outputs.verdict).toBe('pass');
    expect(pr.run.stdout).toContain('::notice::no baseline: no successful run of the base commit');
    expect(pr.report.headline).toContain('no baseline: regressions not checked');
  });

  it('two-workflow mode: the fork run uploads its report, `mode: report` posts it on the PR', async () => {
    const github = await startGitHub({ ...REPO, issueNumber: 7 });
    // workflow 1, `pull_request` from a fork: read-only token, so no comment; it uploads the
    // report, which records its PR
    const forkRun = github.addWorkflowRun({
      headSha: HEAD_SHA,
      headBranch: 'feature',
      event: 'pull_request',
    });
    const fork = await gate(github, { number: 7, inputs: { comment: 'off' }, uploadTo: forkRun });
    expect(fork.report.pullRequest).toBe(7);
    expect(github.comments).toEqual([]);
    github.addPullRequest({ number: 7, headSha: HEAD_SHA, baseSha: BASE_SHA });

    // workflow 2, `workflow_run`: GitHub links no PR for a fork, the report names it
    const post = await runAction({
      inputs: { mode: 'report' },
      event: workflowRunEvent(forkRun.id),
      apiUrl: github.url,
    });

    expect(post.stderr + post.stdout).not.toContain('::error::');
    expect(post.code).toBe(0);
    expect(post.outputs.verdict).toBe('pass');
    const comment = github.comments.find((c) => c.issueNumber === 7);
    expect(comment?.body).toContain('<!-- loadgate:default -->');
    expect(comment?.body).toContain('## ✅ loadgate: PASS');
    // the HTML report is in the fork run's artifact, not in this one's
    expect(comment?.body).toContain(
      `Full report: \`loadgate-report.html\` in the run's artifact [run ${forkRun.id}](https://github.com/octo-org/octo-repo/actions/runs/${forkRun.id}).`,
    );
    expect(post.outputs['comment-id']).toBe(String(comment?.id));
    expect(post.summary).toContain('## ✅ loadgate: PASS');
    expect(post.stdout).toContain(`posted the pass report of run ${forkRun.id} on PR #7`);
  });

  it.each([
    {
      what: 'the PR moved on since the run (a fork cannot aim the comment at another PR)',
      tamper: (report: JsonReport) => report,
      pullRequest: { headSha: 'c'.repeat(40) },
      code: 0,
      message: '::warning::nothing posted: PR #8 is at ccccccc, not at aaaaaaa',
    },
    {
      what: 'a report with markdown where loadgate writes an id',
      tamper: (report: JsonReport) => ({
        ...report,
        findings: [{ ...report.findings[0]!, id: '![x](https://evil.example/t.png)' }],
      }),
      pullRequest: {},
      code: 1,
      message:
        'is not a loadgate JSON report (`findings[0].id`: got "![x](https://evil.example/t.png)", expected text matching /^[a-z][\\w.-]*$/',
    },
    {
      what: 'a number that is text',
      tamper: (report: JsonReport) => ({ ...report, regressions: '**0**' }),
      pullRequest: {},
      code: 1,
      message: 'is not a loadgate JSON report (`regressions`: got "**0**", expected a number)',
    },
  ])('`mode: report` posts nothing when $what', async ({ tamper, pullRequest, code, message }) => {
    const github = await startGitHub({ ...REPO, issueNumber: 8 });
    const fork = await gate(github, { number: 8, inputs: { comment: 'off' } });
    const forkRun = github.addWorkflowRun({
      headSha: HEAD_SHA,
      event: 'pull_request',
      artifacts: [
        {
          name: 'loadgate-report',
          files: { 'loadgate-report.json': JSON.stringify(tamper(fork.report)) },
        },
      ],
    });
    github.addPullRequest({ number: 8, headSha: HEAD_SHA, baseSha: BASE_SHA, ...pullRequest });

    const post = await runAction({
      inputs: { mode: 'report' },
      event: workflowRunEvent(forkRun.id),
      apiUrl: github.url,
    });

    expect(post.code).toBe(code); // a report that is not one fails the job: someone must look
    expect(post.stdout).toContain(message);
    expect(github.comments).toEqual([]);
  });

  it('`mode: report` on another event is an error that says how to trigger it', async () => {
    const github = await startGitHub(REPO);
    const post = await runAction({
      inputs: { mode: 'report' },
      event: pullRequestEvent(9),
      apiUrl: github.url,
    });
    expect(post.code).toBe(1);
    expect(post.stdout).toContain('::error::input `mode`: `report` posts the report of another');
    expect(post.stdout).toContain('on: workflow_run');
  });
});
