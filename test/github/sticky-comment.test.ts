import { describe, expect, it } from 'vitest';
import { createOctokit } from '../../src/github/octokit.js';
import { upsertStickyComment } from '../../src/github/sticky-comment.js';
import { GITHUB_ACTIONS_BOT, OTHER_USERS, type FakeGitHub } from '../support/fake-github.js';
import { fakeGitHubPerTest } from '../support/fake-github-per-test.js';

const PR = { owner: 'octo-org', repo: 'octo-repo', issueNumber: 7 };
const MARKER = '<!-- loadgate:default -->';
const target = (body: string, marker = MARKER) => ({ ...PR, marker, body });

const startGitHub = fakeGitHubPerTest();

async function setUp(options: { seedComments?: number } = {}) {
  const github = await startGitHub({ ...PR, ...options });
  return { fake: github, octokit: createOctokit('ghs_test', { baseUrl: github.url }) };
}

const requestsOf = (fake: FakeGitHub, method: string) =>
  fake.requests.filter((r) => r.method === method);

describe('upsertStickyComment against the fake GitHub API (real octokit, real HTTP)', () => {
  it('with create: false, updates an existing comment but never creates one', async () => {
    const { fake, octokit } = await setUp();

    expect(await upsertStickyComment(octokit, target('pass'), { create: false })).toBeUndefined();
    expect(fake.comments).toHaveLength(0);
    expect(requestsOf(fake, 'POST')).toHaveLength(0);

    const failing = await upsertStickyComment(octokit, target('fail'));
    const passing = await upsertStickyComment(octokit, target('pass now'), { create: false });
    expect(passing).toMatchObject({ id: failing.id, action: 'updated' });
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]?.body).toContain('pass now');
  });

  it('creates once, then updates the same comment, then leaves an unchanged body alone', async () => {
    const { fake, octokit } = await setUp();

    const created = await upsertStickyComment(octokit, target('first'));
    expect(created.action).toBe('created');
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]).toMatchObject({
      id: created.id,
      issueNumber: 7,
      body: `${MARKER}\nfirst`,
      user: GITHUB_ACTIONS_BOT,
    });
    expect(created.url).toBe(
      `https://github.com/octo-org/octo-repo/pull/7#issuecomment-${created.id}`,
    );

    const updated = await upsertStickyComment(octokit, target('second'));
    expect(updated).toEqual({ id: created.id, action: 'updated', url: created.url });
    expect(fake.comments).toHaveLength(1);
    expect(fake.comments[0]?.body).toBe(`${MARKER}\nsecond`);
    expect(requestsOf(fake, 'PATCH')).toHaveLength(1);

    const unchanged = await upsertStickyComment(octokit, target('second'));
    expect(unchanged).toEqual({ id: created.id, action: 'unchanged', url: created.url });
    expect(requestsOf(fake, 'PATCH')).toHaveLength(1);
    expect(requestsOf(fake, 'POST')).toHaveLength(1);

    expect(fake.requests.map((r) => r.operationId)).toEqual([
      'issues/list-comments',
      'issues/create-comment',
      'issues/list-comments',
      'issues/update-comment',
      'issues/list-comments',
    ]);
    for (const r of fake.requests) {
      expect(r.headers.authorization).toBe('token ghs_test');
      expect(r.headers['user-agent']).toMatch(/octokit/);
    }
    expect(requestsOf(fake, 'GET')[0]?.query.get('per_page')).toBe('100');
  });

  it('finds its comment on page 2 (150 comments from other people first)', async () => {
    const { fake, octokit } = await setUp({ seedComments: 150 });
    const created = await upsertStickyComment(octokit, target('first'));
    expect(created.action).toBe('created');
    expect(requestsOf(fake, 'GET').map((r) => r.query.get('page') ?? '1')).toEqual(['1', '2']);

    const again = await upsertStickyComment(octokit, target('again'));
    expect(again).toMatchObject({ id: created.id, action: 'updated' });
    expect(fake.comments).toHaveLength(151);
    expect(fake.comments.filter((c) => c.body.includes(MARKER))).toHaveLength(1);
    expect(fake.comments.findIndex((c) => c.id === created.id)).toBe(150); // page 2 at 100 a page
    expect(requestsOf(fake, 'GET').map((r) => r.query.get('page') ?? '1')).toEqual([
      '1',
      '2',
      '1',
      '2',
    ]);
  });

  it('stops reading pages once it found its own comment', async () => {
    const { fake, octokit } = await setUp();
    const created = await upsertStickyComment(octokit, target('first'));
    for (let i = 0; i < 150; i++) fake.addComment({ ...PR, body: `later ${i}` });
    const again = await upsertStickyComment(octokit, target('again'));
    expect(again).toMatchObject({ id: created.id, action: 'updated' });
    expect(requestsOf(fake, 'GET')).toHaveLength(2); // one list when creating, one page now
  });

  it("prefers the bot's marked comment over a person's comment quoting the marker", async () => {
    const { fake, octokit } = await setUp();
    const quoted = fake.addComment({ ...PR, body: `as ${MARKER} said`, user: OTHER_USERS[0] });
    const own = fake.addComment({ ...PR, body: `${MARKER}\nold`, user: GITHUB_ACTIONS_BOT });
    const result = await upsertStickyComment(octokit, target('new'));
    expect(result).toMatchObject({ id: own.id, action: 'updated' });
    expect(fake.comments.find((c) => c.id === quoted.id)?.body).toBe(`as ${MARKER} said`);
  });

  it('falls back to the marker alone (a personal token posts as a person)', async () => {
    const person = OTHER_USERS[1]!;
    const github = await startGitHub({ ...PR, tokens: { ghp_personal: person } });
    const mine = github.addComment({ ...PR, body: `${MARKER}\nold`, user: person });
    const octokit = createOctokit('ghp_personal', { baseUrl: github.url });
    const result = await upsertStickyComment(octokit, target('new'));
    expect(result).toMatchObject({ id: mine.id, action: 'updated' });
    expect(github.comments).toHaveLength(1);
  });

  it('keeps the marker where the body already has it, and one comment per marker', async () => {
    const { fake, octokit } = await setUp();
    await upsertStickyComment(octokit, target(`report\n${MARKER}`));
    await upsertStickyComment(octokit, target('matrix job 2', '<!-- loadgate:matrix-2 -->'));
    expect(fake.comments.map((c) => c.body)).toEqual([
      `report\n${MARKER}`,
      '<!-- loadgate:matrix-2 -->\nmatrix job 2',
    ]);
  });

  it('treats a body GitHub returns with CRLF line endings as unchanged', async () => {
    const { fake, octokit } = await setUp();
    fake.addComment({ ...PR, body: `${MARKER}\r\nline 1\r\nline 2`, user: GITHUB_ACTIONS_BOT });
    const result = await upsertStickyComment(octokit, target('line 1\nline 2'));
    expect(result.action).toBe('unchanged');
    expect(requestsOf(fake, 'PATCH')).toHaveLength(0);
  });

  it.each([
    { what: 'a 403 on create (fork PR)', method: 'POST', path: '/issues/7/comments', status: 403 },
    // 5xx are retried twice: a list that keeps failing still surfaces
    {
      what: 'a 500 on the list, every time',
      method: 'GET',
      path: '/issues/7/comments',
      status: 500,
    },
  ])('surfaces $what as an error with its status, for the caller to decide', async (failure) => {
    const { fake, octokit } = await setUp();
    fake.failNext(failure.method, `/repos/octo-org/octo-repo${failure.path}`, failure.status, 5);
    await expect(upsertStickyComment(octokit, target('x'))).rejects.toMatchObject({
      status: failure.status,
    });
    expect(fake.comments).toEqual([]);
  });

  it('refuses a marker that is not a hidden HTML comment, before any request', async () => {
    const { fake, octokit } = await setUp();
    await expect(upsertStickyComment(octokit, target('x', 'loadgate:default'))).rejects.toThrow(
      'The sticky comment marker must be a hidden HTML comment such as "<!-- loadgate:default -->", got "loadgate:default".',
    );
    expect(fake.requests).toEqual([]);
  });
});
