import type { Step } from '../../config/schema.js';

export interface CapturedResponse {
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** What a step needs to read from a response to capture its variables. */
export function capturesNeedBody(step: Step): boolean {
  return step.capture.some((c) => !c.from.startsWith('header.'));
}

/**
 * Reads each `capture` of a step from a response. Returns the variables, or the first failure
 * as a message: "capture token: json.access_token not found in response".
 */
export function captureVariables(
  step: Step,
  response: CapturedResponse,
): { vars: Record<string, string> } | { error: string } {
  const vars: Record<string, string> = {};
  let json: unknown;
  let parsed = false;
  for (const { variable, from } of step.capture) {
    let value: string | undefined;
    if (from.startsWith('json.')) {
      if (!parsed) {
        parsed = true;
        try {
          json = JSON.parse(response.text);
        } catch {
          return { error: `capture ${variable}: ${from} not found: the response is not JSON` };
        }
      }
      value = jsonPath(json, from.slice('json.'.length));
    } else if (from.startsWith('header.')) {
      const header = response.headers[from.slice('header.'.length).toLowerCase()];
      value = Array.isArray(header) ? header[0] : header;
    } else {
      const match = new RegExp(from.slice('regex:'.length)).exec(response.text);
      value = match ? (match[1] ?? match[0]) : undefined;
    }
    if (value === undefined) return { error: `capture ${variable}: ${from} not found in response` };
    vars[variable] = value;
  }
  return { vars };
}

/** `items.0.id` style lookup; only scalars can be captured (objects are JSON-encoded). */
function jsonPath(root: unknown, path: string): string | undefined {
  let current: unknown = root;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  if (current === undefined || current === null) return undefined;
  return typeof current === 'object' ? JSON.stringify(current) : String(current);
}
