import { getOctokit } from '@actions/github';

export type Octokit = ReturnType<typeof getOctokit>;

/** An authenticated client; `baseUrl` is GITHUB_API_URL, passed in by the caller (GHES, tests). */
export function createOctokit(token: string, options: { baseUrl?: string } = {}): Octokit {
  return getOctokit(token, options.baseUrl ? { baseUrl: options.baseUrl } : {});
}
