import { readUntrustedReport } from '../report/read-report.js';
import type { JsonReport } from '../report/report-data.js';
import { downloadArtifactJson, listRunArtifacts } from './artifacts.js';
import type { Octokit } from './octokit.js';
import type { WorkflowRunRef } from './pull-request.js';

/** Why a `mode: report` run posts nothing: said as a warning, never a crash. */
export class NothingToPost extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingToPost';
  }
}

/**
 * The JSON report that the triggering run uploaded as `artifactName`, checked as untrusted
 * input (a fork's run wrote it).
 */
export async function fetchRunReport(
  octokit: Octokit,
  run: WorkflowRunRef,
  artifactName: string,
): Promise<JsonReport> {
  const repo = { owner: run.owner, repo: run.repo };
  const [artifact] = await listRunArtifacts(octokit, repo, run.runId, artifactName);
  if (!artifact) {
    throw new NothingToPost(
      `run ${run.runId} uploaded no artifact named \`${artifactName}\` (was it cancelled before the upload step, or is the upload step's name different?)`,
    );
  }
  const { fileName, text } = await downloadArtifactJson(octokit, repo, artifact.id);
  return readUntrustedReport(text, `${fileName} in artifact ${artifactName} of run ${run.runId}`);
}

/**
 * The PR to post on. GitHub links the run's PRs in the event, except for a fork's PR; then the
 * number the report carries is used, but only if that PR's head is the commit the run tested
 * (a fork must not be able to direct the comment to another PR).
 */
export async function pullRequestOfRun(
  octokit: Octokit,
  run: WorkflowRunRef,
  report: JsonReport,
): Promise<number> {
  if (run.pullRequests.length > 0) {
    const linked = run.pullRequests[0] as number;
    if (report.pullRequest !== undefined && report.pullRequest !== linked) {
      throw new NothingToPost(
        `the report says PR #${report.pullRequest} but run ${run.runId} is for PR #${linked}`,
      );
    }
    return linked;
  }
  if (report.pullRequest === undefined) {
    throw new NothingToPost(
      `run ${run.runId} is not linked to a pull request and its report names none (a push run?)`,
    );
  }
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', {
    owner: run.owner,
    repo: run.repo,
    pull_number: report.pullRequest,
  });
  if (data.head.sha !== run.headSha) {
    throw new NothingToPost(
      `PR #${report.pullRequest} is at ${data.head.sha.slice(0, 7)}, not at ${run.headSha.slice(0, 7)} that run ${run.runId} tested: a newer push will post its own report`,
    );
  }
  return report.pullRequest;
}
