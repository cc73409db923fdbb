import type { Step } from '../../config/schema.js';

/** What a step needs to read from a response body for its checks. */
export function checksNeedBody(step: Step): boolean {
  return step.check.bodyContains !== undefined || step.check.json !== undefined;
}

/**
 * `check.body-contains` and `check.json` (path → expected value) on a response body; returns
 * the failure message, or undefined when every check holds.
 */
export function checkBody(step: Step, text: string): string | undefined {
  const { bodyContains, json } = step.check;
  if (bodyContains !== undefined && !text.includes(bodyContains)) {
    return `check body-contains: ${JSON.stringify(bodyContains)} not found in the response`;
  }
  if (json === undefined) return undefined;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return 'check json: the response is not JSON';
  }
  for (const [path, expected] of Object.entries(json)) {
    let current: unknown = document;
    for (const key of path.split('.')) {
      current =
        current !== null && typeof current === 'object'
          ? (current as Record<string, unknown>)[key]
          : undefined;
    }
    if (current !== expected) {
      return `check json: ${path} is ${current === undefined ? 'missing' : JSON.stringify(current)}, expected ${JSON.stringify(expected)}`;
    }
  }
  return undefined;
}
