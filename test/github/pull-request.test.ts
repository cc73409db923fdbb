import { describe, expect, it } from 'vitest';
import { pullRequestFromEvent, workflowRunFromEvent } from '../../src/github/pull-request.js';

const repository = { name: 'octo-repo', owner: { login: 'octo-org' } };
const pr = (number: number) => ({ owner: 'octo-org', repo: 'octo-repo', number });

describe('pullRequestFromEvent', () => {
  it.each([
    {
      what: 'a pull_request event',
      event: 'pull_request',
      payload: { action: 'synchronize', number: 5, pull_request: { number: 5 }, repository },
      expected: pr(5),
    },
    {
      what: 'a pull_request_target event (base repository)',
      event: 'pull_request_target',
      payload: { number: 6, pull_request: { number: 6 }, repository },
      expected: pr(6),
    },
    {
      what: 'the top-level number when pull_request is absent',
      event: 'pull_request',
      payload: { number: 8, repository },
      expected: pr(8),
    },
    {
      what: 'the base commit and the default branch, for the baseline lookup',
      event: 'pull_request',
      payload: {
        number: 9,
        pull_request: { number: 9, base: { sha: 'a'.repeat(40) } },
        repository: { ...repository, default_branch: 'trunk' },
      },
      expected: { ...pr(9), baseSha: 'a'.repeat(40), defaultBranch: 'trunk' },
    },
    {
      what: 'a base sha that is not one is left out',
      event: 'pull_request',
      payload: { number: 9, pull_request: { number: 9, base: { sha: 'main' } }, repository },
      expected: pr(9),
    },
    { what: 'a push', event: 'push', payload: { repository }, expected: undefined },
    {
      what: 'a comment on a PR (issue_comment)',
      event: 'issue_comment',
      payload: { issue: { number: 5, pull_request: {} }, repository },
      expected: undefined,
    },
    { what: 'no number', event: 'pull_request', payload: { repository }, expected: undefined },
    {
      what: 'a number as a string',
      event: 'pull_request',
      payload: { pull_request: { number: '5' }, repository },
      expected: undefined,
    },
    {
      what: 'a number that is not a positive integer',
      event: 'pull_request',
      payload: { pull_request: { number: 1.5 }, repository },
      expected: undefined,
    },
    {
      what: 'no repository',
      event: 'pull_request',
      payload: { pull_request: { number: 5 } },
      expected: undefined,
    },
    {
      what: 'an owner without login',
      event: 'pull_request',
      payload: { pull_request: { number: 5 }, repository: { name: 'r', owner: {} } },
      expected: undefined,
    },
    { what: 'a null payload', event: 'pull_request', payload: null, expected: undefined },
    {
      what: 'an unreadable event file',
      event: 'pull_request',
      payload: undefined,
      expected: undefined,
    },
    { what: 'an array payload', event: 'pull_request', payload: [], expected: undefined },
  ])('$what', ({ event, payload, expected }) => {
    expect(pullRequestFromEvent(event, payload)).toEqual(expected);
  });
});

describe('workflowRunFromEvent', () => {
  const sha = 'c'.repeat(40);
  it.each([
    {
      what: 'a workflow_run with its PR (same repository)',
      event: 'workflow_run',
      payload: {
        workflow_run: { id: 77, head_sha: sha, pull_requests: [{ number: 5 }] },
        repository,
      },
      expected: {
        owner: 'octo-org',
        repo: 'octo-repo',
        runId: 77,
        headSha: sha,
        pullRequests: [5],
      },
    },
    {
      what: 'a fork PR: GitHub links no pull request',
      event: 'workflow_run',
      payload: { workflow_run: { id: 78, head_sha: sha, pull_requests: [] }, repository },
      expected: { owner: 'octo-org', repo: 'octo-repo', runId: 78, headSha: sha, pullRequests: [] },
    },
    {
      what: 'another event',
      event: 'pull_request',
      payload: { workflow_run: { id: 77, head_sha: sha }, repository },
      expected: undefined,
    },
    {
      what: 'no run id',
      event: 'workflow_run',
      payload: { workflow_run: { head_sha: sha }, repository },
      expected: undefined,
    },
    {
      what: 'a head sha that is not one',
      event: 'workflow_run',
      payload: { workflow_run: { id: 77, head_sha: 'HEAD' }, repository },
      expected: undefined,
    },
    { what: 'no payload', event: 'workflow_run', payload: undefined, expected: undefined },
  ])('$what', ({ event, payload, expected }) => {
    expect(workflowRunFromEvent(event, payload)).toEqual(expected);
  });
});
