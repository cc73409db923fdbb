import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type Octokit = ReturnType<typeof getOctokit>;

/** Where the REST API lives when the caller has no GITHUB_API_URL (github.com). */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/** At most this many retries after a rate limit, and never a wait longer than this. */
const RATE_LIMIT_RETRIES = 2;
const MAX_WAIT_SECONDS = 60;

/** Retries after a 5xx or a network error, for the REST API and the artifact storage alike. */
export const SERVER_ERROR_RETRIES = 2;

/** The wait before retry `n` (1, 2, …): plugin-retry's own schedule, 1 s × n². */
export function serverErrorRetryDelayMs(n: number): number {
  return 1000 * n * n;
}

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
      retry: { retries: SERVER_ERROR_RETRIES },
      throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    },
    retry,
    throttling,
  ) as Octokit;
}
