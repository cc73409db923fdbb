import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type Octokit = ReturnType<typeof getOctokit>;

/** Where the REST API lives when the caller has no GITHUB_API_URL (github.com). */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/** At most this many retries after a rate limit, and never a wait longer than this. */
const RATE_LIMIT_RETRIES = 2;
const MAX_WAIT_SECONDS = 60;

/**
 * An authenticated REST client with retries on 5xx and rate limits that honour `retry-after`
 * (bounded: a gate must not hang on GitHub). `baseUrl` is the runner's GITHUB_API_URL (GHES, a
 * local fake in tests), read from the environment by the caller, never here.
 */
export function createOctokit(
  token: string,
  options: { baseUrl?: string; onWarning?: (message: string) => void } = {},
): Octokit {
  if (!token) {
    throw new Error(
      'The GitHub token is empty: pass github-token (default: ${{ github.token }}) to talk to GitHub.',
    );
  }
  const baseUrl = (options.baseUrl || DEFAULT_GITHUB_API_URL).replace(/\/+$/, '');
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      request: { method: string; url: string },
      _octokit: unknown,
      retryCount: number,
    ) => {
      const again = retryCount < RATE_LIMIT_RETRIES && retryAfter <= MAX_WAIT_SECONDS;
      options.onWarning?.(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ${again ? `retrying after ${retryAfter} s` : 'giving up'}`,
      );
      return again;
    };
  return getOctokit(
    token,
    {
      baseUrl,
      retry: { retries: 2 },
      throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    },
    retry,
    throttling,
  ) as Octokit;
}
