import * as core from '@actions/core';
import { State } from './constants.js';
import { killGroup } from './stack/stack-process.js';

/** The action's post step: if the main step was cancelled or killed, stop the stack it left. */
async function post(): Promise<void> {
  const pgid = Number(core.getState(State.StackPgid));
  if (!pgid) return;
  core.info(`stopping the stack left by the main step (process group ${pgid})`);
  await killGroup(pgid, 5000);
}

void post().catch((error: unknown) => core.warning(`post: ${String(error)}`));
