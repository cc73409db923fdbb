import * as core from '@actions/core';
import { readActionInputs } from '../config/action-inputs.js';
import { errorMessage } from '../shared/errors.js';
import { postReportOfRun } from './report-mode.js';
import { runGate } from './run-mode.js';

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
