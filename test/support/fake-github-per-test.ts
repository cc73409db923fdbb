import { afterEach, expect } from 'vitest';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from './fake-github.js';

/**
 * For a test file: a function that starts a fake GitHub API; after each test, every one it
 * started is closed, and the test fails if any saw a request or sent a response that does not
 * match GitHub's description.
 */
export function fakeGitHubPerTest(): (options?: FakeGitHubOptions) => Promise<FakeGitHub> {
  let started: FakeGitHub[] = [];
  afterEach(async () => {
    const fakes = started;
    started = [];
    const violations = fakes.flatMap((fake) => fake.violations);
    await Promise.all(fakes.map((fake) => fake.close()));
    expect(violations).toEqual([]);
  });
  return async (options) => {
    const fake = await startFakeGitHub(options);
    started.push(fake);
    return fake;
  };
}
