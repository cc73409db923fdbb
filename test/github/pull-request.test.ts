import { describe, expect, it } from 'vitest';
import { pullRequestFromEvent } from '../../src/github/pull-request.js';

const repository = { name: 'r', owner: { login: 'o' } };

describe('pullRequestFromEvent', () => {
  it.each([
    {
      event: 'pull_request',
      payload: { pull_request: { number: 5 }, repository },
      expected: { owner: 'o', repo: 'r', number: 5 },
    },
    {
      event: 'pull_request_target',
      payload: { number: 6, pull_request: { number: 6 }, repository },
      expected: { owner: 'o', repo: 'r', number: 6 },
    },
    { event: 'push', payload: { repository }, expected: undefined },
    { event: 'pull_request', payload: { repository }, expected: undefined },
    { event: 'pull_request', payload: null, expected: undefined },
    {
      event: 'pull_request',
      payload: { pull_request: { number: '5' }, repository },
      expected: undefined,
    },
  ])('$event → $expected', ({ event, payload, expected }) => {
    expect(pullRequestFromEvent(event, payload)).toEqual(expected);
  });
});
