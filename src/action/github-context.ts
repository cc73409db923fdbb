import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import type { ActionInputs } from '../config/action-inputs.js';
import { createOctokit } from '../github/octokit.js';

export function octokitFor(inputs: ActionInputs, env: NodeJS.ProcessEnv) {
  return createOctokit(inputs.githubToken, {
    baseUrl: env.GITHUB_API_URL,
    onWarning: (message) => core.warning(message),
  });
}

export function readEvent(file: string | undefined): unknown {
  if (!file) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
