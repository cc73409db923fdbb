import { getOctokit } from '@actions/github';

export type Octokit = ReturnType<typeof getOctokit>;

/** Where the REST API lives when the caller has no GITHUB_API_URL (github.com). */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/**
 * An authenticated REST client. `baseUrl` is the runner's GITHUB_API_URL (GHES, a local fake in
 * tests), read from the environment by the caller, never here.
 */
export function createOctokit(token: string, options: { baseUrl?: string } = {}): Octokit {
  if (!token) {
    throw new Error(
      'The GitHub token is empty: pass github-token (default: ${{ github.token }}) to talk to GitHub.',
    );
  }
  const baseUrl = (options.baseUrl || DEFAULT_GITHUB_API_URL).replace(/\/+$/, '');
  return getOctokit(token, { baseUrl });
}
