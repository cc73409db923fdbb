import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/model/run-result.js';
import type { StackEvidence } from '../../src/model/stack-evidence.js';
import type { Locale } from '../../src/report/messages.js';
import { readUntrustedReport } from '../../src/report/read-report.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { seedFailure } from '../support/run-result.js';
import { healthyRun, notReadyStack, sampleReport } from '../support/sample-reports.js';

// Reviewed snapshots of the report for each kind of verdict: a change to what reviewers read
// shows up as a diff of these files (update with `npx vitest run -u` and read the diff).
function render(
  result: RunResult | undefined,
  locale: Locale,
  options: { stack?: StackEvidence; error?: string; baseline?: RunResult } = {},
) {
  const report = sampleReport(result, locale, options);
  // a `mode: report` run reads this report back as untrusted input: nothing may be lost
  const json = JSON.stringify(report);
  expect(readUntrustedReport(json, 'report.json')).toEqual(JSON.parse(json));
  return renderMarkdown(report, { locale });
}

describe('report snapshots', () => {
  it.each(['en', 'fr'] as const)('fail at the smoke stage: the seed case (%s)', async (locale) => {
    await expect(render(seedFailure(), locale)).toMatchFileSnapshot(
      `__snapshots__/fail-smoke.${locale}.md`,
    );
  });

  it('pass', async () => {
    await expect(render(healthyRun(50), 'en')).toMatchFileSnapshot('__snapshots__/pass.en.md');
  });

  it('fail on a threshold', async () => {
    await expect(render(healthyRun(750), 'en')).toMatchFileSnapshot(
      '__snapshots__/fail-threshold.en.md',
    );
  });

  it('fail on a regression against a baseline', async () => {
    await expect(render(healthyRun(200), 'en', { baseline: healthyRun(50) })).toMatchFileSnapshot(
      '__snapshots__/fail-regression.en.md',
    );
  });

  it('stack never ready', async () => {
    const stack = notReadyStack;
    await expect(
      render(undefined, 'en', { stack, error: `stack not ready: ${stack.error}` }),
    ).toMatchFileSnapshot('__snapshots__/not-ready.en.md');
  });
});
