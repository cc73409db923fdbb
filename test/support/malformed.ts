/** Helpers for tests of malformed input: edit parsed JSON at a path, read the error thrown. */

/** Sets `value` at `at` ("stages.1.endpoints.2.latency.p95") in parsed JSON; undefined deletes. */
export function setAt(root: unknown, at: string, value: unknown): void {
  const keys = at.split('.');
  const last = keys.pop() as string;
  let node = root as Record<string, unknown>;
  for (const key of keys) node = node[key] as Record<string, unknown>;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** The error `fn` throws; fails the test when it throws nothing. */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, nothing was thrown');
}
