import { afterEach, describe, expect, it } from 'vitest';
import { createOctokit } from '../../src/github/octokit.js';
import { upsertStickyComment } from '../../src/github/sticky-comment.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';

let github: FakeGitHub | undefined;
afterEach(async () => {
  expect(github?.violations).toEqual([]);
  await github?.close();
});

const target = (body: string) => ({
  owner: 'octo-org',
  repo: 'octo-repo',
  issueNumber: 7,
  marker: '<!-- loadgate:default -->',
  body,
});

describe('upsertStickyComment against the fake GitHub API (real octokit, real HTTP)', () => {
  it('creates once, updates in place, skips an unchanged body', async () => {
    github = await startFakeGitHub({ owner: 'octo-org', repo: 'octo-repo', issueNumber: 7 });
    const octokit = createOctokit('ghs_test', { baseUrl: github.url });

    const created = await upsertStickyComment(octokit, target('first'));
    expect(created.action).toBe('created');
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toBe('<!-- loadgate:default -->\nfirst');

    const updated = await upsertStickyComment(octokit, target('second'));
    expect(updated).toMatchObject({ id: created.id, action: 'updated' });
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]?.body).toBe('<!-- loadgate:default -->\nsecond');

    const patches = () => github!.requests.filter((r) => r.method === 'PATCH').length;
    expect(patches()).toBe(1);
    const unchanged = await upsertStickyComment(octokit, target('second'));
    expect(unchanged).toMatchObject({ id: created.id, action: 'unchanged' });
    expect(patches()).toBe(1);
    expect(github.requests[0]?.headers.authorization).toBe('token ghs_test');
  });

  it('finds its comment past the first page (150 other comments first)', async () => {
    github = await startFakeGitHub({
      owner: 'octo-org',
      repo: 'octo-repo',
      issueNumber: 7,
      seedComments: 150,
    });
    const octokit = createOctokit('ghs_test', { baseUrl: github.url });
    const created = await upsertStickyComment(octokit, target('first'));
    const again = await upsertStickyComment(octokit, target('again'));
    expect(again).toMatchObject({ id: created.id, action: 'updated' });
    expect(github.comments.filter((c) => c.body.includes('loadgate'))).toHaveLength(1);
    const pages = github.requests
      .filter((r) => r.method === 'GET')
      .map((r) => new URLSearchParams(r.query).get('page') ?? '1');
    expect(pages).toContain('2');
  });

  it('keeps one comment per key', async () => {
    github = await startFakeGitHub({ owner: 'octo-org', repo: 'octo-repo', issueNumber: 7 });
    const octokit = createOctokit('ghs_test', { baseUrl: github.url });
    await upsertStickyComment(octokit, target('a'));
    await upsertStickyComment(octokit, { ...target('b'), marker: '<!-- loadgate:matrix-2 -->' });
    expect(github.comments).toHaveLength(2);
  });

  it('surfaces a 403 (fork PR) as an error with its status for the caller to downgrade', async () => {
    github = await startFakeGitHub({ owner: 'octo-org', repo: 'octo-repo', issueNumber: 7 });
    github.failNext('POST', '/repos/octo-org/octo-repo/issues/7/comments', 403);
    const octokit = createOctokit('ghs_test', { baseUrl: github.url });
    await expect(upsertStickyComment(octokit, target('x'))).rejects.toMatchObject({ status: 403 });
  });
});

describe('the fake GitHub API itself', () => {
  it('rejects and records requests that violate the OpenAPI description', async () => {
    github = await startFakeGitHub({ owner: 'o', repo: 'r', issueNumber: 1 });
    const post = (path: string, body: unknown, method = 'POST') =>
      fetch(`${github!.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/repos/o/r/issues/1/comments', { text: 1 })).status).toBe(422);
    expect((await post('/repos/o/r/issues/1/comments', { body: 42 })).status).toBe(422);
    expect((await fetch(`${github.url}/repos/o/r/issues/1/comments?per_page=abc`)).status).toBe(
      422,
    );
    expect((await post('/repos/o/r/no-such-thing', {})).status).toBe(404);
    expect(github.violations).toHaveLength(4);
    expect(github.violations[0]).toContain(
      "issues/create-comment): body: (root) must have required property 'body'",
    );
    expect(github.violations[3]).toContain("no such operation in GitHub's REST API");
    github.violations.length = 0; // they were the point of this test
  });
});
