import { baselineNote } from '../../src/report/gate-messages.js';
import { describe, expect, it } from 'vitest';
import { findBaselineArtifact } from '../../src/github/baseline-artifact.js';
import { createOctokit } from '../../src/github/octokit.js';
import { fakeGitHubPerTest } from '../support/fake-github-per-test.js';
import { endpoint, stage } from '../support/run-result.js';

const REPO = { owner: 'octo-org', repo: 'octo-repo' };
const BASE = 'ba5e000000000000000000000000000000000000';
const OLDER = '01de000000000000000000000000000000000000';
const NEWER = '0e3e000000000000000000000000000000000000';
const ARTIFACT = 'loadgate-report';

const startGitHub = fakeGitHubPerTest();

async function setUp() {
  const github = await startGitHub(REPO);
  return { fake: github, octokit: createOctokit('ghs_test', { baseUrl: github.url }) };
}

/** A JSON report as the action writes it, whose request count tells the reports apart. */
function report(commit: string | undefined, requests: number): string {
  const ramp = stage('ramp', [endpoint({ name: 'GET /items', requests })]);
  return JSON.stringify({ schemaVersion: 1, ...(commit ? { commit } : {}), stages: [ramp] });
}

const lookup = { ...REPO, baseSha: BASE, defaultBranch: 'main', artifactName: ARTIFACT };

describe('findBaselineArtifact against the fake GitHub API (runs, artifacts, zip download)', () => {
  it("takes the base commit's own report, downloaded from storage without the token", async () => {
    const { fake, octokit } = await setUp();
    fake.addWorkflowRun({
      headSha: NEWER,
      artifacts: [{ name: ARTIFACT, files: { 'loadgate-report.json': report(NEWER, 99) } }],
    });
    const run = fake.addWorkflowRun({
      headSha: BASE,
      artifacts: [
        { name: 'coverage', files: { 'coverage.json': '{}' } },
        { name: ARTIFACT, files: { 'loadgate-report.json': report(BASE, 42) } },
      ],
    });

    const found = await findBaselineArtifact(octokit, lookup);

    expect(found.notice).toBeUndefined();
    expect(found.baseline).toMatchObject({
      commit: BASE,
      source: `artifact ${ARTIFACT} of run ${run.id}`,
    });
    expect(found.baseline?.substitute).toBeUndefined();
    expect(found.baseline?.stages[0]?.endpoints[0]?.requests).toBe(42);
    const blob = fake.requests.find((r) => r.path.startsWith('/_blob/'));
    expect(blob).toMatchObject({ status: 200 });
    expect(blob?.headers.authorization).toBeUndefined();
    expect(fake.requests.map((r) => r.operationId).filter(Boolean)).toEqual([
      'actions/list-workflow-runs-for-repo',
      'actions/list-workflow-run-artifacts',
      'actions/download-artifact',
    ]);
  });

  it("ignores a fork PR's run on the same commit: it cannot plant the baseline", async () => {
    const { fake: github, octokit } = await setUp();
    const push = github.addWorkflowRun({
      headSha: BASE,
      artifacts: [{ name: ARTIFACT, files: { 'loadgate-report.json': report(BASE, 7) } }],
    });
    github.addWorkflowRun({
      headSha: BASE,
      event: 'pull_request',
      headBranch: 'main', // a fork's branch may be called main too
      artifacts: [{ name: ARTIFACT, files: { 'loadgate-report.json': report(BASE, 99999) } }],
    });

    const found = await findBaselineArtifact(octokit, lookup);

    expect(found.baseline?.source).toBe(`artifact ${ARTIFACT} of run ${push.id}`);
    expect(found.baseline?.stages[0]?.endpoints[0]?.requests).toBe(7);
  });

  it('skips failed runs, expired artifacts and runs without the artifact', async () => {
    const { fake, octokit } = await setUp();
    const good = fake.addWorkflowRun({
      headSha: BASE,
      artifacts: [{ name: ARTIFACT, files: { 'report/loadgate-report.json': report(BASE, 7) } }],
    });
    fake.addWorkflowRun({ headSha: BASE, event: 'push' }); // another workflow: no artifact
    fake.addWorkflowRun({
      headSha: BASE,
      conclusion: 'failure',
      artifacts: [{ name: ARTIFACT, files: { 'loadgate-report.json': report(BASE, 1) } }],
    });
    fake.addWorkflowRun({
      headSha: BASE,
      artifacts: [{ name: ARTIFACT, files: { 'x.json': report(BASE, 2) }, expired: true }],
    });

    const found = await findBaselineArtifact(octokit, lookup);

    expect(found.baseline?.source).toBe(`artifact ${ARTIFACT} of run ${good.id}`);
    expect(found.baseline?.stages[0]?.endpoints[0]?.requests).toBe(7);
  });

  it('falls back to the newest successful push run of the default branch, and says so', async () => {
    const { fake, octokit } = await setUp();
    fake.addWorkflowRun({
      headSha: OLDER,
      artifacts: [{ name: ARTIFACT, files: { 'loadgate-report.json': report(OLDER, 10) } }],
    });
    fake.addWorkflowRun({
      headSha: NEWER,
      artifacts: [{ name: ARTIFACT, files: { 'loadgate-report.json': report(undefined, 20) } }],
    });
    fake.addWorkflowRun({
      headSha: 'feed000000000000000000000000000000000000',
      headBranch: 'feature',
      event: 'pull_request',
      artifacts: [{ name: ARTIFACT, files: { 'loadgate-report.json': report(undefined, 30) } }],
    });

    const found = await findBaselineArtifact(octokit, lookup);

    // a report without `commit` is named by its run's head commit
    expect(found.baseline?.commit).toBe(NEWER);
    expect(found.baseline?.stages[0]?.endpoints[0]?.requests).toBe(20);
    expect(found.baseline?.substitute).toEqual({
      baseCommit: expect.stringMatching(/^ba5e000/),
      artifact: 'loadgate-report',
      branch: 'main',
    });
    expect(baselineNote(found.baseline!, 'en')).toBe(
      'the base commit ba5e000 has no `loadgate-report` artifact: this is the newest successful run on main, 0e3e000',
    );
    expect(baselineNote(found.baseline!, 'fr')).toBe(
      'le commit de base ba5e000 n’a pas d’artefact `loadgate-report` : c’est le dernier run réussi sur main, 0e3e000',
    );
  });

  it('no baseline anywhere: a notice that says how to get one, never an error', async () => {
    const { fake, octokit } = await setUp();
    fake.addWorkflowRun({ headSha: OLDER });

    const found = await findBaselineArtifact(octokit, lookup);

    expect(found.baseline).toBeUndefined();
    expect(found.notice).toContain('no baseline: no successful run of the base commit ba5e000');
    expect(found.notice).toContain(
      'run loadgate on pushes to main: it uploads its report as that artifact',
    );
  });

  it.each([
    { status: 403, hint: 'the token needs `actions: read`' },
    { status: 404, hint: 'a private repository needs `actions: read`' },
  ])('a $status from GitHub becomes a notice naming the permission', async ({ status, hint }) => {
    const { fake, octokit } = await setUp();
    fake.failNext('GET', '/repos/{owner}/{repo}/actions/runs', status);

    const found = await findBaselineArtifact(octokit, lookup);

    expect(found.baseline).toBeUndefined();
    expect(found.notice).toContain(hint);
    expect(found.notice).toContain('regressions were not checked');
  });

  it.each<{
    what: string;
    artifact: { files?: Record<string, string>; zip?: Uint8Array };
    notice: string;
  }>([
    {
      what: 'a zip that is not one',
      artifact: { zip: new TextEncoder().encode('<html>not a zip</html>') },
      notice: 'is not a readable zip',
    },
    {
      what: 'a zip without JSON',
      artifact: { files: { 'stack.log': 'hello' } },
      notice: 'holds no JSON file',
    },
    {
      what: 'a JSON file that is not a report',
      artifact: { files: { 'loadgate-report.json': '{"hello":1}' } },
      notice: 'loadgate-report.json in artifact loadgate-report of run',
    },
  ])('$what: a notice, not a crash', async ({ artifact, notice }) => {
    const { fake, octokit } = await setUp();
    fake.addWorkflowRun({ headSha: BASE, artifacts: [{ name: ARTIFACT, ...artifact }] });

    const found = await findBaselineArtifact(octokit, lookup);

    expect(found.baseline).toBeUndefined();
    expect(found.notice).toContain(notice);
  });

  it('a storage hiccup (503) is retried like the REST calls, and the baseline is found', async () => {
    const { fake, octokit } = await setUp();
    fake.addWorkflowRun({
      headSha: BASE,
      artifacts: [{ name: ARTIFACT, files: { 'loadgate-report.json': report(BASE, 42) } }],
    });
    fake.failBlobDownloads(503, 1);

    const found = await findBaselineArtifact(octokit, lookup);

    expect(found.notice).toBeUndefined();
    expect(found.baseline?.stages[0]?.endpoints[0]?.requests).toBe(42);
    const blobs = fake.requests.filter((r) => r.path.startsWith('/_blob/'));
    expect(blobs.map((r) => r.status)).toEqual([503, 200]);
  });

  it('a storage refusal (403, an expired signed URL) is not retried and becomes a notice', async () => {
    const { fake, octokit } = await setUp();
    fake.addWorkflowRun({
      headSha: BASE,
      artifacts: [{ name: ARTIFACT, files: { 'loadgate-report.json': report(BASE, 42) } }],
    });
    fake.failBlobDownloads(403, 5);

    const found = await findBaselineArtifact(octokit, lookup);

    expect(found.baseline).toBeUndefined();
    expect(found.notice).toMatch(/its download answered 403(?! \()/);
    expect(fake.requests.filter((r) => r.path.startsWith('/_blob/'))).toHaveLength(1);
  });

  it('a storage that keeps failing is given up after the retries, with the count', async () => {
    const { fake, octokit } = await setUp();
    fake.addWorkflowRun({
      headSha: BASE,
      artifacts: [{ name: ARTIFACT, files: { 'loadgate-report.json': report(BASE, 42) } }],
    });
    fake.failBlobDownloads(500, 10);

    const found = await findBaselineArtifact(octokit, lookup);

    expect(found.baseline).toBeUndefined();
    expect(found.notice).toContain('its download answered 500 (3 tries)');
    expect(fake.requests.filter((r) => r.path.startsWith('/_blob/'))).toHaveLength(3);
  }, 20_000);
});
