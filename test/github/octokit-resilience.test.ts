import { afterEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../src/github/octokit.js';
import { upsertStickyComment } from '../../src/github/sticky-comment.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';

let github: FakeGitHub | undefined;
afterEach(async () => {
  expect(github?.violations).toEqual([]);
  await github?.close();
});

const target = {
  owner: 'octo-org',
  repo: 'octo-repo',
  issueNumber: 7,
  marker: '<!-- loadgate:default -->',
  body: 'hello',
};
const created = () =>
  github!.requests.filter((r) => r.method === 'POST' && r.status === 201).length;

describe('GitHub faults the comment survives (real octokit with retry and throttling)', () => {
  it('a 5xx, then success: one comment', async () => {
    github = await startFakeGitHub({
      owner: 'octo-org',
      repo: 'octo-repo',
      issueNumber: 7,
      seedComments: 120,
    });
    github.failNext('POST', '/repos/octo-org/octo-repo/issues/7/comments', 502);
    const result = await upsertStickyComment(
      createOctokit('ghs_test', { baseUrl: github.url }),
      target,
    );
    expect(result.action).toBe('created');
    expect(created()).toBe(1);
    expect(github.requests.filter((r) => r.method === 'POST').map((r) => r.status)).toEqual([
      502, 201,
    ]);
  }, 30_000);

  it('a secondary rate limit with retry-after, then success: waits, retries, one comment', async () => {
    github = await startFakeGitHub({ owner: 'octo-org', repo: 'octo-repo', issueNumber: 7 });
    github.failNext('POST', '/repos/octo-org/octo-repo/issues/7/comments', 403, 1, {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
      headers: { 'retry-after': '1' },
    });
    const warnings: string[] = [];
    const result = await upsertStickyComment(
      createOctokit('ghs_test', { baseUrl: github.url, onWarning: (w) => warnings.push(w) }),
      target,
    );
    expect(result.action).toBe('created');
    expect(created()).toBe(1);
    expect(warnings[0]).toMatch(/^GitHub secondary rate limit on POST .*: retrying after 1 s$/);
  }, 30_000);

  it('a 403 that is not a rate limit is not retried (a fork PR): the caller gets it', async () => {
    github = await startFakeGitHub({ owner: 'octo-org', repo: 'octo-repo', issueNumber: 7 });
    github.failNext('POST', '/repos/octo-org/octo-repo/issues/7/comments', 403, 5, {
      message: 'Resource not accessible by integration',
    });
    await expect(
      upsertStickyComment(createOctokit('ghs_test', { baseUrl: github.url }), target),
    ).rejects.toMatchObject({ status: 403 });
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  }, 30_000);
});
