import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { readActionInputs, type ActionInputs } from './config/action-inputs.js';
import { COMMENT_MARKER_PREFIX, Output, State } from './constants.js';
import { createEngine } from './engine/create-engine.js';
import { createProgressPrinter } from './engine/builtin/progress.js';
import { errorMessage } from './errors.js';
import { createActionLogger } from './github/action-logger.js';
import { createOctokit } from './github/octokit.js';
import { findBaselineArtifact } from './github/baseline-artifact.js';
import {
  pullRequestFromEvent,
  workflowRunFromEvent,
  type PullRequestRef,
} from './github/pull-request.js';
import { fetchRunReport, NothingToPost, pullRequestOfRun } from './github/run-report.js';
import { uploadReportArtifact } from './github/upload-report.js';
import type { Baseline } from './gate/evaluate-gate.js';
import type { Locale } from './report/messages.js';
import type { JsonReport } from './report/report-data.js';
import { upsertStickyComment } from './github/sticky-comment.js';
import { runPipeline, type PipelineOutcome } from './pipeline.js';
import { fitComment } from './report/fit-comment.js';
import { keyNumbers } from './report/key-numbers.js';
import { renderMarkdown } from './report/render-markdown.js';

/** The action's entry point: inputs → pipeline → outputs, summary, comment, step status. */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  try {
    const inputs = readActionInputs((name) => core.getInput(name));
    if (inputs.githubToken) core.setSecret(inputs.githubToken);
    core.debug(
      `inputs: ${JSON.stringify({ ...inputs, githubToken: inputs.githubToken ? '***' : '' })}`,
    );
    if (inputs.mode === 'report') await postReportOfRun(inputs, env);
    else await runGate(inputs, env);
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}

/** `mode: run`: boot the stack, run the stages, gate, and publish. */
async function runGate(inputs: ActionInputs, env: NodeJS.ProcessEnv): Promise<void> {
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const pr = pullRequestFromEvent(env.GITHUB_EVENT_NAME ?? '', event);
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => stop.abort(new Error(`loadgate received ${signal}`));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const outcome = await runPipeline({
    signal: stop.signal,
    configPath: inputs.configPath,
    overrides: inputs.overrides,
    reportPath: inputs.reportPath,
    env,
    logger: createActionLogger(),
    createEngine,
    onEngineEvent: createProgressPrinter({ write: (line) => core.info(line) }),
    onStackStarted: (stack, composeProject) => {
      core.saveState(State.StackPgid, String(stack.pgid));
      core.saveState(State.ComposeProject, composeProject ?? '');
    },
    secrets: inputs.githubToken ? [inputs.githubToken] : [],
    ...(pr ? { pullRequest: pr.number } : {}),
    ...(pr?.baseSha
      ? {
          findBaseline: () => baselineOfBase({ ...pr, baseSha: pr.baseSha as string }, inputs, env),
        }
      : {}),
  });
  core.saveState(State.StackPgid, '');
  core.saveState(State.ComposeProject, '');

  await core.group('Publish', async () => {
    publishOutputs(outcome.report, outcome.reportPath);
    const link = reportRunLink(inputs, env);
    await publishSummary(
      link
        ? renderMarkdown(outcome.report, { locale: outcome.locale, runLink: link })
        : outcome.markdown,
      env,
    );
    if (!pr) core.info('not a pull request event: no comment');
    else await publishComment(outcome.report, outcome.locale, pr, inputs, env);
  });
  await core.group('Upload the report', () => uploadReport(outcome.reportPath, inputs, env));
  decide(outcome, inputs);
}

/**
 * The report and stack logs as the `artifact-name` artifact of this run: a push run's is the
 * baseline of later PRs, a fork PR's is what `mode: report` posts. A failure is a warning.
 */
async function uploadReport(
  reportPath: string,
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (!inputs.uploadReport) {
    core.info('upload-report: false: the report was not uploaded');
    return;
  }
  if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL) {
    core.info(
      'no artifact service on this runner (ACTIONS_RUNTIME_TOKEN): the report was not uploaded',
    );
    return;
  }
  try {
    const uploaded = await uploadReportArtifact(inputs.artifactName, reportPath);
    core.info(
      `report uploaded: artifact ${inputs.artifactName} (${uploaded.files.join(', ')}; id ${uploaded.id})`,
    );
  } catch (error) {
    core.warning(
      `could not upload the report as the \`${inputs.artifactName}\` artifact: ${errorMessage(error)} (with a matrix, give each job its own artifact-name; with upload-report, drop any upload step of the same name)`,
    );
  }
}

/** The report the PR's base commit uploaded (or the default branch's newest), if any. */
async function baselineOfBase(
  pr: PullRequestRef & { baseSha: string },
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
): Promise<Baseline | undefined> {
  if (!inputs.githubToken) {
    core.notice('no github-token: no baseline was looked up, regressions were not checked');
    return undefined;
  }
  const found = await findBaselineArtifact(octokitFor(inputs, env), {
    owner: pr.owner,
    repo: pr.repo,
    baseSha: pr.baseSha,
    ...(pr.defaultBranch ? { defaultBranch: pr.defaultBranch } : {}),
    artifactName: inputs.artifactName,
  });
  if (found.baseline) {
    core.info(
      `baseline: ${found.baseline.source}${found.baseline.note ? ` (${found.baseline.note})` : ''}`,
    );
  } else core.notice(found.notice);
  return found.baseline;
}

/**
 * `mode: report`, on `workflow_run`: posts the report that the triggering run (a fork's PR,
 * run without a write token) uploaded. Runs no code from the PR. The gate was decided by the
 * triggering run, so a run without a PR, a PR that moved on or a GitHub error is a warning; a
 * report that does not read as one (tampered, or another loadgate's) fails this job.
 */
async function postReportOfRun(inputs: ActionInputs, env: NodeJS.ProcessEnv): Promise<void> {
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
function reportRunLink(
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
  runId = env.GITHUB_RUN_ID,
): string | undefined {
  const uploaded =
    inputs.mode === 'report' ||
    (inputs.uploadReport && Boolean(env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL));
  return uploaded && runId && env.GITHUB_REPOSITORY ? runLink(env, runId) : undefined;
}

function octokitFor(inputs: ActionInputs, env: NodeJS.ProcessEnv) {
  return createOctokit(inputs.githubToken, {
    baseUrl: env.GITHUB_API_URL,
    onWarning: (message) => core.warning(message),
  });
}

function publishOutputs(report: JsonReport, reportPath: string): void {
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

async function publishSummary(markdown: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(markdown).write();
}

async function publishComment(
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

function decide(outcome: PipelineOutcome, inputs: ActionInputs): void {
  const { verdict, headline } = outcome.report;
  if (outcome.exitCode === 2) {
    core.setFailed(headline);
    return;
  }
  const fails =
    (verdict === 'fail' && inputs.failOn !== 'never') ||
    (verdict === 'inconclusive' && inputs.failOn === 'inconclusive');
  if (fails) core.setFailed(`loadgate: ${verdict}: ${headline}`);
  else core.info(`loadgate: ${verdict}: ${headline}`);
}

function readEvent(file: string | undefined): unknown {
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
