import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import { readActionInputs, type ActionInputs } from './config/action-inputs.js';
import { COMMENT_MARKER_PREFIX, Output, State } from './constants.js';
import { createEngine } from './engine/create-engine.js';
import { createProgressPrinter } from './engine/builtin/progress.js';
import { errorMessage } from './errors.js';
import { createActionLogger } from './github/action-logger.js';
import { createOctokit } from './github/octokit.js';
import { pullRequestFromEvent } from './github/pull-request.js';
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

    const stop = new AbortController();
    const onSignal = (signal: NodeJS.Signals) =>
      stop.abort(new Error(`loadgate received ${signal}`));
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
      onStackStarted: (stack) => core.saveState(State.StackPgid, String(stack.pgid)),
      secrets: inputs.githubToken ? [inputs.githubToken] : [],
    });
    core.saveState(State.StackPgid, '');

    await core.group('Publish', async () => {
      publishOutputs(outcome);
      await publishSummary(outcome, env);
      await publishComment(outcome, inputs, env);
    });
    decide(outcome, inputs);
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}

function publishOutputs(outcome: PipelineOutcome): void {
  const numbers = keyNumbers(outcome.report);
  core.setOutput(Output.Verdict, outcome.report.verdict);
  core.setOutput(Output.P95Ms, numbers.p95Ms);
  core.setOutput(Output.FailureRate, numbers.failureRate);
  core.setOutput(Output.Rps, numbers.rps);
  core.setOutput(Output.ReportPath, outcome.reportPath);
  core.setOutput(Output.Regressions, outcome.report.regressions);
  core.setOutput(Output.BaselineSha, outcome.report.baseline?.commit ?? '');
}

async function publishSummary(outcome: PipelineOutcome, env: NodeJS.ProcessEnv): Promise<void> {
  if (!env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(outcome.markdown).write();
}

async function publishComment(
  outcome: PipelineOutcome,
  inputs: ActionInputs,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  if (inputs.comment === 'off') return;
  if (inputs.comment === 'on-failure' && outcome.report.verdict === 'pass') return;
  const pr = pullRequestFromEvent(env.GITHUB_EVENT_NAME ?? '', readEvent(env.GITHUB_EVENT_PATH));
  if (!pr) {
    core.info('not a pull request event: no comment');
    return;
  }
  if (!inputs.githubToken) {
    core.warning('no github-token: the PR comment was skipped (the gate still decides)');
    return;
  }
  const marker = `<!-- ${COMMENT_MARKER_PREFIX}:${inputs.commentKey} -->`;
  const body = fitComment(
    renderMarkdown(outcome.report, { locale: outcome.locale, marker }),
    `Sections were left out to fit GitHub's comment size limit: the full report is ${inputs.reportPath} (upload it as an artifact).`,
  );
  try {
    const octokit = createOctokit(inputs.githubToken, {
      baseUrl: env.GITHUB_API_URL,
      onWarning: (message) => core.warning(message),
    });
    const comment = await upsertStickyComment(octokit, {
      ...pr,
      issueNumber: pr.number,
      marker,
      body,
    });
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
