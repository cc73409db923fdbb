import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/shared/errors.js';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import { loadBaseline, parseBaseline } from '../../src/pipeline/load-baseline.js';
import { setAt, thrown } from '../support/malformed.js';
import { endpoint, run, stage } from '../support/run-result.js';
import { thresholdsOf } from '../support/thresholds.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'loadgate-baseline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const thresholds = thresholdsOf();

const COMMIT = 'c0ffee0000000000000000000000000000000000';
const ramp = stage('ramp', [
  endpoint({ name: 'GET /a' }),
  endpoint({ name: 'GET /b' }),
  endpoint({ name: 'GET /c' }),
]);
const current = run([stage('smoke', [endpoint({ name: 'GET /a', requests: 1 })]), ramp]);

/** A baseline file as an earlier run wrote it, with `change` applied to its parsed JSON. */
function baselineFile(name: string, change: (report: Record<string, unknown>) => unknown): string {
  const report = { schemaVersion: 1, commit: COMMIT, stages: structuredClone(current.stages) };
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(change(report) ?? report));
  return file;
}

/** An edit of the parsed report: `value` at `at`, undefined deletes the key. */
const set = (at: string, value: unknown) => (report: unknown) => setAt(report, at, value);

describe('loadBaseline', () => {
  it('reads the stages and commit of an earlier report, and drops keys it does not know', () => {
    const file = baselineFile('good.json', (report) => {
      set('stages.1.total.someday', 'a newer field')(report);
      return { ...report, findings: 'not read for a baseline', junk: true };
    });
    expect(loadBaseline(file, dir)).toEqual({
      stages: current.stages,
      commit: COMMIT,
      source: 'good.json',
    });
  });

  it('a malformed baseline is a config error naming the field, not a TypeError in the gate', () => {
    const file = baselineFile('crash.json', set('stages.1.endpoints', 'GET /a'));
    const error = thrown(() => evaluateGate(current, thresholds, loadBaseline(file, dir)));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `\`baseline-path\`: ${file} is not a loadgate JSON report (\`stages[1].endpoints\`: got "GET /a", expected a list)`,
    );
  });

  it.each([
    {
      what: 'a wrong type deep in an endpoint',
      change: set('stages.1.endpoints.2.latency.p95', 'fast'),
      problems: '`stages[1].endpoints[2].latency.p95`: got "fast", expected a number',
    },
    {
      what: 'a missing field',
      change: set('stages.1.total', undefined),
      problems: '`stages[1].total`: got nothing (the key is missing), expected a map',
    },
    {
      what: 'a count that is not one',
      change: set('stages.1.endpoints.0.requests', -3),
      problems: '`stages[1].endpoints[0].requests`: got -3, expected at least 0',
    },
    {
      what: 'a stage loadgate does not have, with a status it does not write',
      change: (report: Record<string, unknown>) => {
        set('stages.0.name', 'soak')(report);
        set('stages.0.status', 'done')(report);
      },
      problems:
        '`stages[0].name`: got "soak", expected one of "smoke", "ramp"; `stages[0].status`: got "done", expected one of "completed", "failed", "skipped", "aborted"',
    },
    {
      what: 'another schema version',
      change: set('schemaVersion', 2),
      problems: '`schemaVersion`: got 2, expected 1',
    },
    {
      what: 'a commit that is not a commit',
      change: set('commit', '![x](http://127.0.0.1/t.png)'),
      problems:
        '`commit`: got "![x](http://127.0.0.1/t.png)", expected text matching /^[0-9a-f]{40}$/i',
    },
    {
      what: 'no stages',
      change: set('stages', undefined),
      problems: '`stages`: got nothing (the key is missing), expected a list',
    },
    {
      what: 'a list, not a report',
      change: () => [],
      problems: 'its top level: got a list of 0, expected a map',
    },
    {
      what: 'more than three wrong fields',
      change: (report: Record<string, unknown>) => {
        for (const key of ['requests', 'failures', 'rps', 'bytesSent'])
          set(`stages.1.total.${key}`, null)(report);
      },
      problems:
        '`stages[1].total.requests`: got null, expected a number; `stages[1].total.failures`: got null, expected a number; `stages[1].total.bytesSent`: got null, expected a number; and 1 more',
    },
  ])('$what: the error names it', ({ what, change, problems }) => {
    const file = baselineFile(`${what.replaceAll(' ', '-')}.json`, change);
    expect(thrown(() => loadBaseline(file, dir)).message).toBe(
      `\`baseline-path\`: ${file} is not a loadgate JSON report (${problems})`,
    );
  });

  it('text that is not JSON says what was expected', () => {
    expect(thrown(() => parseBaseline('<html>', 'baseline.json')).message).toBe(
      'is not JSON, expected a loadgate JSON report',
    );
  });
});
