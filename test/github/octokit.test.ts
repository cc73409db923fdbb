import { describe, expect, it } from 'vitest';
import { createOctokit } from '../../src/github/octokit.js';
import { fakeGitHubPerTest } from '../support/fake-github-per-test.js';

const startGitHub = fakeGitHubPerTest();

describe('createOctokit', () => {
  it('talks to the given base URL (trailing slash or not) with the token', async () => {
    const github = await startGitHub({ seedComments: 2 });
    for (const baseUrl of [github.url, `${github.url}/`]) {
      const octokit = createOctokit('ghs_abc', { baseUrl });
      const { data } = await octokit.rest.issues.listComments({
        owner: 'octo-org',
        repo: 'octo-repo',
        issue_number: 1,
      });
      expect(data).toHaveLength(2);
    }
    expect(github.requests.map((r) => [r.path, r.headers.authorization])).toEqual([
      ['/repos/octo-org/octo-repo/issues/1/comments', 'token ghs_abc'],
      ['/repos/octo-org/octo-repo/issues/1/comments', 'token ghs_abc'],
    ]);
  });

  it('says what to pass when the token is empty', () => {
    expect(() => createOctokit('', {})).toThrow(/pass github-token/);
  });
});
