import * as core from '@actions/core';
import { State } from '../shared/constants.js';
import { removeProjectLeftovers } from '../stack/container-watch.js';
import { dockerCli } from '../stack/docker-cli.js';
import { killGroup } from '../stack/stack-process.js';

/**
 * The action's post step: if the main step was cancelled or killed, stop the stack it left: its
 * process group, then every container, network and volume of its compose project.
 */
export async function post(): Promise<void> {
  const pgid = Number(core.getState(State.StackPgid));
  const project = core.getState(State.ComposeProject);
  if (pgid) {
    core.info(`stopping the stack left by the main step (process group ${pgid})`);
    await killGroup(pgid, 5000);
  }
  if (project) {
    const removed = await removeProjectLeftovers(dockerCli(process.env).run, project);
    core.info(
      removed.length > 0
        ? `removed what the main step left of compose project ${project}: ${removed.join(', ')}`
        : `compose project ${project}: nothing left`,
    );
  }
}
