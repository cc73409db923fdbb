import * as core from '@actions/core';
import type { ActionInputs } from '../config/action-inputs.js';
import { workflowRunFromEvent } from '../github/pull-request.js';
import { fetchRunReport, NothingToPost, pullRequestOfRun } from '../github/run-report.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { errorMessage } from '../shared/errors.js';
import { octokitFor, readEvent } from './github-context.js';
import { publishComment, publishOutputs, publishSummary, reportRunLink } from './publish.js';

/**
 * `mode: report`, on `workflow_run`: posts the report that the triggering run (a fork's PR,
 * run without a write token) uploaded. Runs no code from the PR. The gate was decided by the
 * triggering run, so a run without a PR, a PR that moved on or a GitHub error is a warning; a
 * report that does not read as one (tampered, or another loadgate's) fails this job.
 */
export async function postReportOfRun(inputs: ActionInputs, env: NodeJS.ProcessEnv): Promise<void> {
  const run = workflowRunFromEvent(env.GITHUB_EVENT_NAME ?? '', readEvent(env.GITHUB_EVENT_PATH));
  if (!run) {
    throw new Error(
      `input \`mode\`: \`report\` posts the report of another workflow's run: trigger it with \`on: workflow_run\` (this is a ${env.GITHUB_EVENT_NAME || 'unknown'} event)`,
    );
  }
  if (!inputs.githubToken) throw new Error('input `github-token`: `mode: report` needs a token');
  const octokit = octokitFor(inputs, env);
  try {
    const report = await fetchRunReport(octokit, run, inputs.artifactName);
    publishOutputs(report, '');
    const locale = inputs.locale ?? 'en';
    const link = reportRunLink(inputs, env, String(run.runId));
    await publishSummary(
      renderMarkdown(report, { locale, ...(link ? { runLink: link } : {}) }),
      env,
    );
    const number = await pullRequestOfRun(octokit, run, report);
    await publishComment(
      report,
      locale,
      { owner: run.owner, repo: run.repo, number },
      inputs,
      env,
      String(run.runId),
    );
    core.info(`loadgate: posted the ${report.verdict} report of run ${run.runId} on PR #${number}`);
  } catch (error) {
    if (!(error instanceof NothingToPost) && !(error as { status?: number }).status) throw error;
    core.warning(`nothing posted: ${errorMessage(error)}`);
  }
}
