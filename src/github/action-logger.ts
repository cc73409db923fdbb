import * as core from '@actions/core';
import type { Logger } from '../shared/logger.js';

/** The pipeline's logger on top of @actions/core: one collapsible group per stage. */
export function createActionLogger(): Logger {
  return {
    info: (message) => core.info(message),
    warning: (message) => core.warning(message),
    error: (message) => core.error(message),
    debug: (message) => core.debug(message),
    group: (name, fn) => core.group(name, fn),
    setSecret: (value) => core.setSecret(value),
  };
}
