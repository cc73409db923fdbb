import * as core from '@actions/core';
import type { ActionInputs } from '../config/action-inputs.js';
import { createEngine } from '../engine/create-engine.js';
import { createProgressPrinter } from '../engine/builtin/progress.js';
import type { Baseline } from '../gate/evaluate-gate.js';
import { createActionLogger } from '../github/action-logger.js';
import { findBaselineArtifact } from '../github/baseline-artifact.js';
import { pullRequestFromEvent, type PullRequestRef } from '../github/pull-request.js';
import { uploadReportArtifact } from '../github/upload-report.js';
import { runPipeline, type PipelineOutcome } from '../pipeline/pipeline.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { stopError } from '../report/run-error-messages.js';
import { baselineNote } from '../report/gate-messages.js';
import { State } from '../shared/constants.js';
import { errorMessage } from '../shared/errors.js';
import { octokitFor, readEvent } from './github-context.js';
import { publishComment, publishOutputs, publishSummary, reportRunLink } from './publish.js';

/** `mode: run`: boot the stack, run the stages, gate, and publish. */
export async function runGate(inputs: ActionInputs, env: NodeJS.ProcessEnv): Promise<void> {
  const event = readEvent(env.GITHUB_EVENT_PATH);
  const pr = pullRequestFromEvent(env.GITHUB_EVENT_NAME ?? '', event);
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => stop.abort(stopError({ kind: 'signal', signal }));
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
      `baseline: ${found.baseline.source}${found.baseline.substitute ? ` (${baselineNote(found.baseline, 'en')})` : ''}`,
    );
  } else core.notice(found.notice);
  return found.baseline;
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
