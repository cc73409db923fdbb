import type { z } from 'zod';
import { formatIssue } from '../config/format-issues.js';
import { errorMessage } from '../shared/errors.js';
import { jsonReportSchema, type JsonReport } from '../model/json-report.js';

/**
 * A JSON report written by another run, read back: an earlier run's report as the baseline, or
 * (`mode: report`) the report of a fork's run to post. That run may have executed code from the
 * fork, so its report is untrusted input: it is checked against the report's schema (every field
 * the gate reads or the markdown renders has its type, strings rendered without escaping must
 * look like what loadgate writes there), and unknown keys are dropped.
 */

/** Parses another run's JSON report; throws an Error naming the first fields that are wrong. */
export function readUntrustedReport(json: string, label: string): JsonReport {
  try {
    return parseJsonReport(json);
  } catch (error) {
    throw new Error(`${label} ${errorMessage(error)}`);
  }
}

/**
 * A JSON report's text, checked against the report's schema, or a part of it (`schema`, picked
 * from `jsonReportSchema`: a baseline needs its stages only); throws "is not ..." (to follow the
 * file's name) naming up to three wrong fields, each with the value found and what was expected:
 * "is not a loadgate JSON report (`stages[0].total.requests`: got "9", expected a number)".
 */
export function parseJsonReport(json: string): JsonReport;
export function parseJsonReport<T extends z.ZodType>(json: string, schema: T): z.output<T>;
export function parseJsonReport(json: string, schema: z.ZodType = jsonReportSchema): unknown {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error('is not JSON, expected a loadgate JSON report');
  }
  const result = schema.safeParse(value, { error: expectation });
  if (result.success) return result.data;
  const { issues } = result.error;
  const problems = issues
    .slice(0, 3)
    .map((issue) =>
      formatIssue(issue, value, schema, (path) => (path ? undefined : 'its top level')),
    );
  const more = issues.length > 3 ? `; and ${issues.length - 3} more` : '';
  throw new Error(`is not a loadgate JSON report (${problems.join('; ')}${more})`);
}

/** What a field expected, worded like the config's errors ("expected a number"). */
function expectation(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `expected text matching ${String(issue.pattern)}`
        : `expected a ${issue.format}`;
    case 'too_big':
      return `expected at most ${String(issue.maximum)}${UNITS[issue.origin] ?? ''}`;
    case 'too_small':
      return `expected at least ${String(issue.minimum)}${UNITS[issue.origin] ?? ''}`;
    default:
      return undefined;
  }
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'an integer',
  string: 'a string',
  boolean: 'true or false',
  object: 'a map',
  record: 'a map',
  array: 'a list',
};

const UNITS: Record<string, string> = { string: ' characters', array: ' items' };
