import { describe, expect, it } from 'vitest';
import type { Locale } from '../../src/report/messages.js';
import type { JsonReport } from '../../src/report/report-data.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { renderTerminal } from '../../src/report/render-terminal.js';
import {
  configErrorReport,
  healthyRun,
  notReadyStack,
  sampleReport,
} from '../support/sample-reports.js';

// The error that ended a run was printed three times (the log, the headline, the "cut short"
// quote): each report now says it once, whatever the renderer.
const configError = configErrorReport();

const RENDERERS: [string, (report: JsonReport, locale: Locale) => string][] = [
  ['markdown', (report, locale) => renderMarkdown(report, { locale })],
  ['terminal', (report, locale) => renderTerminal(report, { locale, colour: false })],
];

const count = (text: string, part: string) => text.split(part).length - 1;

describe.each(RENDERERS)('the %s report says the error once', (_name, render) => {
  it.each(['en', 'fr'] as const)('a config error, in the headline (%s)', (locale) => {
    const text = render(configError, locale);
    expect(count(text, '`stak`: unknown key (did you mean `stack`?)')).toBe(1);
    expect(count(text, 'invalid config')).toBe(1);
  });

  it('a stack that never became ready: the headline, not the "cut short" note', () => {
    const error = `stack not ready: ${notReadyStack.error}`;
    const lines = render(
      sampleReport(undefined, 'en', { stack: notReadyStack, error }),
      'en',
    ).split('\n');
    expect(lines[0]).toMatch(/FAIL — stack not ready: not ready after 1m/);
    // the findings quote it again as evidence: that is the diagnosis, not a repeat
    expect(lines.find((l) => l.includes('The run was cut short'))).toMatch(
      /The run was cut short: results are partial\.$/,
    );
  });

  it.each(['en', 'fr'] as const)(
    'a stack that never became ready: its error once, in the headline, in the locale (%s)',
    (locale) => {
      const error = `stack not ready: ${notReadyStack.error}`;
      const text = render(sampleReport(undefined, locale, { stack: notReadyStack, error }), locale);
      const headline = locale === 'fr' ? 'stack pas prête : pas prête après 1m' : error;
      expect(text.split('\n')[0]).toContain(headline);
      // the English error is not printed again beside a French headline
      if (locale === 'fr') expect(text).not.toContain('stack not ready');
    },
  );

  it('an error after a verdict: the headline carries it too', () => {
    const text = render(sampleReport(healthyRun(50), 'en', { error: 'the run was stopped' }), 'en');
    expect(count(text, 'the run was stopped')).toBe(1);
  });
});

describe('a multi-line headline in markdown', () => {
  it('keeps its first line as the title and the rest as lines, not run together', () => {
    const md = renderMarkdown(configError, { locale: 'en' });
    expect(md.split('\n').slice(0, 6)).toEqual([
      '## ❌ loadgate: FAIL — loadgate.yml: invalid config',
      '',
      '```',
      '- `stak`: unknown key (did you mean `stack`?)',
      '```',
      '',
    ]);
  });
});
