import * as core from '@actions/core';
import type { ActionInputs } from '../config/action-inputs.js';
import { upsertStickyComment } from '../github/sticky-comment.js';
import type { PullRequestRef } from '../github/pull-request.js';
import type { Locale } from '../report/messages.js';
import type { JsonReport } from '../report/report-data.js';
import { fitComment } from '../report/fit-comment.js';
import { keyNumbers } from '../report/key-numbers.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { COMMENT_MARKER_PREFIX, Output } from '../shared/constants.js';
import { errorMessage } from '../shared/errors.js';
import { octokitFor } from './github-context.js';

/** A markdown link to a workflow run's page (its artifacts are listed there). */
function runLink(env: NodeJS.ProcessEnv, runId: string | undefined): string {
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  if (!runId || !env.GITHUB_REPOSITORY) return 'the workflow run';
  return `[run ${runId}](${server}/${env.GITHUB_REPOSITORY}/actions/runs/${runId})`;
}

/**
 * The run whose artifact holds the HTML report: this run when it uploads its report, or the
 * run `mode: report` fetched the report from. Undefined when there is no such artifact.
 */
export function reportRunLink(
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  runId = env.GITHUB_RUN_ID,
): string | undefined {
  const uploaded =
    inputs.mode === 'report' ||
    (inputs.uploadReport && Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL));
  return uploaded && runId && env.GITHUB_REPOSITORY ? runLink(env, runId) : undefined;
}

export function publishOutputs(report: JsonReport, reportPath: string): void {
  const numbers = keyNumbers(report);
  core.setOutput(Output.Verdict, report.verdict);
  core.setOutput(Output.Reason, report.reason ?? '');
  core.setOutput(Output.P95Ms, numbers.p95Ms);
  core.setOutput(Output.FailureRate, numbers.failureRate);
  core.setOutput(Output.Rps, numbers.rps);
  core.setOutput(Output.ReportPath, reportPath);
  core.setOutput(Output.Regressions, report.regressions);
  core.setOutput(Output.BaselineSha, report.baseline?.commit ?? '');
}

export async function publishSummary(markdown: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(markdown).write();
}

export async function publishComment(
  report: JsonReport,
  locale: Locale,
  pr: PullRequestRef,
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  /** The run whose artifacts hold the full report (default: this one). */
  runId = env.GITHUB_RUN_ID,
): Promise<void> {
  if (inputs.comment === 'off') return;
  // on-failure: a pass posts nothing new, but an earlier failure's comment must not stay up
  const updateOnly = inputs.comment === 'on-failure' && report.verdict === 'pass';
  if (!inputs.githubToken) {
    core.warning('no github-token: the PR comment was skipped (the gate still decides)');
    return;
  }
  const marker = `<!-- ${COMMENT_MARKER_PREFIX}:${inputs.commentKey} -->`;
  const link = reportRunLink(inputs, env, runId);
  const body = fitComment(
    renderMarkdown(report, { locale, marker, ...(link ? { runLink: link } : {}) }),
    `Sections were left out to fit GitHub's comment size limit: the full report is the \`${inputs.artifactName}\` artifact of ${runLink(env, runId)}.`,
  );
  try {
    const target = { ...pr, issueNumber: pr.number, marker, body };
    const octokit = octokitFor(inputs, env);
    const comment = updateOnly
      ? await upsertStickyComment(octokit, target, { create: false })
      : await upsertStickyComment(octokit, target);
    if (!comment) {
      core.info('comment: on-failure and the gate passed: no comment');
      return;
    }
    core.setOutput(Output.CommentId, comment.id);
    core.setOutput(Output.CommentUrl, comment.url);
    core.info(`PR comment ${comment.action}: ${comment.url}`);
  } catch (error) {
    const status = (error as { status?: number }).status;
    const hint = status === 403 ? ' (a fork PR or a token without `pull-requests: write`)' : '';
    core.warning(
      `could not post the PR comment${hint}: ${errorMessage(error)}; the gate still decides`,
    );
  }
}
