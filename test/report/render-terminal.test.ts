import { describe, expect, it } from 'vitest';
import { messages, type Locale } from '../../src/report/messages.js';
import type { JsonReport } from '../../src/report/report-data.js';
import { renderTerminal } from '../../src/report/render-terminal.js';
import { displayWidth } from '../../src/report/terminal-text.js';
import { endpoint, run, seedFailure, stage } from '../support/run-result.js';
import {
  configErrorReport,
  healthyRun,
  notReadyStack,
  sampleReport,
} from '../support/sample-reports.js';

const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');
/** What a terminal report must never hold: markdown syntax or HTML (entities, tags). */
const MARKUP = /\| ?---|\*\*|<\/?(details|summary|sub)>|&(lt|gt|amp|quot);|^#+ |```/m;

const CASES: { what: string; report: (locale: Locale) => JsonReport }[] = [
  { what: 'the seed case: fail at the smoke stage', report: (l) => sampleReport(seedFailure(), l) },
  { what: 'pass', report: (l) => sampleReport(healthyRun(50), l) },
  { what: 'fail on a threshold', report: (l) => sampleReport(healthyRun(750), l) },
  {
    what: 'fail on a regression',
    report: (l) => sampleReport(healthyRun(200), l, { baseline: healthyRun(50) }),
  },
  {
    what: 'stack never ready',
    report: (l) =>
      sampleReport(undefined, l, {
        stack: notReadyStack,
        error: `stack not ready: ${notReadyStack.error}`,
      }),
  },
];

/** The text in display columns [start, end) of a line (wide characters take two). */
function columns(line: string, start: number, end: number): string {
  let col = 0;
  let out = '';
  for (const { segment } of new Intl.Segmenter().segment(line)) {
    if (col >= start && col < end) out += segment;
    col += displayWidth(segment);
  }
  return out;
}

/** The tables of a report: header, rule and rows, each rule's column spans. */
function tables(text: string) {
  const lines = text.split('\n');
  return lines.flatMap((rule, i) => {
    if (!rule.startsWith('─')) return [];
    const spans = [...rule.matchAll(/─+/g)].map((m) => [m.index, m.index + m[0].length]);
    const end = lines.findIndex((l, j) => j > i && l === '');
    // a table ends at a blank line, or where its notes begin (⚠ under endpoints, indented
    // under thresholds)
    const rows = lines.slice(i + 1, end);
    const last = rows.findIndex((row) => row.startsWith('⚠') || row.startsWith(' '));
    return [{ header: lines[i - 1] ?? '', rows: last < 0 ? rows : rows.slice(0, last), spans }];
  });
}

describe('renderTerminal', () => {
  for (const { what, report: make } of CASES) {
    describe.each(['en', 'fr'] as const)(`${what} (%s)`, (locale) => {
      const report = make(locale);
      const t = messages(locale);
      const text = renderTerminal(report, { locale, colour: false });
      const lines = text.split('\n');

      it('has every section: verdict, cause and first action, stages, thresholds, plan', () => {
        const icon = { pass: '✔', fail: '✖', inconclusive: '⚠' }[report.verdict];
        expect(lines[0]).toBe(`${icon} loadgate: ${t[report.verdict]} — ${report.headline}`);
        const top = report.findings[0];
        if (top) {
          expect(lines).toContain(
            `${t.mostProbableCause}${t.colon} ${top.title} (${top.id}, ${t.confidence} ${Math.round(top.confidence * 100)}%)`,
          );
          expect(lines).toContain(`${t.doFirst}${t.colon} ${report.plan[0]?.text}`);
        }
        for (const s of report.stages) {
          expect(
            lines.some((l) => l.startsWith(`${t.stage} ${s.name}${t.colon} ${t[s.status]}`)),
          ).toBe(true);
        }
        const found = tables(text);
        expect(found.map((table) => table.header.split(/ {2,}/)[0]?.trim())).toEqual([
          ...report.stages
            .filter((s) => s.endpoints.length > 0)
            .flatMap((s) => [
              t.endpoint,
              ...(s.endpoints.some((e) => e.errors.length) ? ['Occurrences'] : []),
            ]),
          ...(report.thresholds.length ? [t.threshold] : []),
        ]);
        for (const e of report.stages.flatMap((s) => s.endpoints)) {
          for (const error of e.errors) {
            expect(lines).toContainEqual(
              expect.stringMatching(new RegExp(`^ +${error.count}  ${e.name}: ${error.message}$`)),
            );
          }
        }
        for (const th of report.thresholds) {
          expect(lines.some((l) => l.startsWith(th.metric) || l.startsWith(t.regression))).toBe(
            true,
          );
        }
        const thresholdRows = found.at(-1)?.rows ?? [];
        if (report.thresholds.length) {
          expect(thresholdRows.map((row) => row.split(/ {2,}/).at(-1))).toEqual(
            report.thresholds.map((th) => t[th.status]),
          );
        }
        report.plan.slice(1).forEach((item, i) => {
          expect(lines).toContain(`${i + 2}. ${item.text} (${t[item.priority]}, ${item.effort})`);
        });
        if (report.plan.length > 1) expect(lines).toContain(t.actionPlan);
      });

      it('aligns every table: each cell within its column, numbers flush right', () => {
        for (const { header, rows, spans } of tables(text)) {
          for (const line of [header, ...rows]) {
            if (!header.startsWith(' ')) expect(columns(line, 0, 1), line).not.toBe(' ');
            // the two spaces between columns stay blank
            for (const [, end = 0] of spans)
              expect(columns(line, end, end + 2).trim(), line).toBe('');
          }
          for (const row of rows) {
            // numbers (requests, occurrences, a threshold's actual value) end where their
            // rule ends
            const numbers = header.startsWith(t.endpoint)
              ? 1
              : header.startsWith(t.threshold)
                ? 2
                : 0;
            const [start = 0, end = 0] = spans[numbers] ?? [];
            expect(columns(row, end - 1, end), row).not.toBe(' ');
            expect(columns(row, start, end).length).toBeGreaterThan(0);
          }
        }
      });

      it('is plain text: no markdown, no HTML entities, no colour codes when colour is off', () => {
        expect(text).not.toMatch(MARKUP);
        expect(text).not.toContain('\u001b');
        expect(text.endsWith('\n')).toBe(true);
        expect(lines.every((l) => l === l.trimEnd())).toBe(true);
      });

      it('with colour, is the same text with ANSI colour codes around it', () => {
        const coloured = renderTerminal(report, { locale, colour: true });
        const code = { pass: 32, fail: 31, inconclusive: 33 }[report.verdict];
        expect(coloured.startsWith(`\u001b[${code}m`)).toBe(true);
        expect(coloured.replace(ANSI, '')).toBe(text);
      });
    });
  }

  // reviewed snapshots, as for the markdown: what a user reads in a terminal shows up as a diff
  it.each([
    ['fail-smoke.fr', () => sampleReport(seedFailure(), 'fr'), 'fr'],
    ['fail-threshold.en', () => sampleReport(healthyRun(750), 'en'), 'en'],
  ] as const)('snapshot %s', async (name, make, locale) => {
    await expect(renderTerminal(make(), { locale, colour: false })).toMatchFileSnapshot(
      `__snapshots__/${name}.terminal.txt`,
    );
  });

  it('shows the endpoint table as Locust does, the total last, in exact columns', () => {
    const text = renderTerminal(sampleReport(healthyRun(750), 'en'), {
      locale: 'en',
      colour: false,
    });
    expect(text).toContain(
      [
        'Stage ramp: completed · Users: 300 · Duration: 10.0 s',
        'Endpoint     Requests  Failures  Median (ms)  p95 (ms)  p99 (ms)  Average (ms)    RPS',
        '───────────  ────────  ────────  ───────────  ────────  ────────  ────────────  ─────',
        'GET /items       3000    0 (0%)           18       750        70            20  300.0',
        'POST /token       300    0 (0%)           18        50        70            20   30.0',
        'Aggregated       3300    0 (0%)           18       750        70            20  330.0',
        '',
        'Thresholds',
        'Threshold     Limit    Actual  Status',
        '────────────  ───────  ──────  ──────',
        'failure-rate  < 1%        0 %  PASS',
        'p95           < 500ms  750 ms  FAIL',
      ].join('\n'),
    );
  });

  it('measures wide and combining characters as displayed: columns stay aligned', () => {
    const names = ['GET /商品', 'GET /cafe\u0301', 'GET /🍕', 'GET /x'];
    const report = sampleReport(
      run([
        stage(
          'smoke',
          names.map((name) => endpoint({ name, requests: 7 })),
        ),
        stage('ramp', [], { status: 'skipped', reason: 'smoke only' }),
      ]),
      'en',
    );
    const lines = renderTerminal(report, { locale: 'en', colour: false }).split('\n');
    const at = lines.indexOf('Stage smoke: completed · Users: 1 · Duration: 10.0 s');
    expect(lines.slice(at + 1, at + 8)).toEqual([
      'Endpoint    Requests  Failures  Median (ms)  p95 (ms)  p99 (ms)  Average (ms)  RPS',
      '──────────  ────────  ────────  ───────────  ────────  ────────  ────────────  ───',
      'GET /商品          7    0 (0%)           18        50        70            20  0.7',
      'GET /cafe\u0301          7    0 (0%)           18        50        70            20  0.7',
      'GET /🍕            7    0 (0%)           18        50        70            20  0.7',
      'GET /x             7    0 (0%)           18        50        70            20  0.7',
      'Aggregated        28    0 (0%)           18        50        70            20  2.8',
    ]);
    expect(lines).toContain('Stage ramp: skipped: smoke only');
  });

  it('makes echoed text inert: an escape sequence in a name or an error cannot reach the terminal', () => {
    const report = sampleReport(
      run([
        stage('smoke', [endpoint({ name: 'GET /\u001b[2J\u001b]0;pwned\u0007x', requests: 3 })]),
        stage('ramp', [], { status: 'aborted', reason: 'boom\u001b[31m\nsecond line' }),
      ]),
      'fr',
    );
    const text = renderTerminal(report, { locale: 'fr', colour: false });
    // eslint-disable-next-line no-control-regex -- no control character but the line breaks
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(text).toContain('GET / [2J ]0;pwned x');
    expect(text).toContain('Étape ramp\u00a0: interrompue\u00a0: boom [31m second line');
  });

  it('says a config error once, its lines under the verdict', () => {
    const report = configErrorReport();
    expect(renderTerminal(report, { locale: 'en', colour: false })).toBe(
      [
        '✖ loadgate: FAIL — loadgate.yml: invalid config',
        '  - `stak`: unknown key (did you mean `stack`?)',
        'The run was cut short: results are partial.',
        '',
      ].join('\n'),
    );
  });

  it('lists the plan after the first action, numbered from 2, with priority and effort', () => {
    const base = sampleReport(healthyRun(750), 'fr');
    const next = (text: string, priority: 'medium' | 'low', effort: string) => ({
      findingId: 'latency.threshold',
      problem: 'p95',
      cause: 'p95',
      text,
      priority,
      effort,
    });
    const report = {
      ...base,
      plan: [
        ...base.plan,
        next('Ajouter un index', 'medium', '1 h'),
        next('Relancer', 'low', '5 min'),
      ],
    };
    const text = renderTerminal(report, { locale: 'fr', colour: false });
    expect(
      text.endsWith(
        [
          "Plan d'actions",
          '2. Ajouter un index (Moyenne, 1 h)',
          '3. Relancer (Basse, 5 min)',
          '',
        ].join('\n'),
      ),
    ).toBe(true);
    expect(text).toContain(`À faire en premier\u00a0: ${base.plan[0]?.text}\n`);
  });

  it('names the baseline, shows the delta of a regression and why it is not decided', () => {
    const text = renderTerminal(sampleReport(healthyRun(200), 'en', { baseline: healthyRun(50) }), {
      locale: 'en',
      colour: false,
    });
    expect(text).toContain('Compared with the baseline bbbbbbb');
    expect(text).toMatch(
      /^regression: p95 · GET \/items +\+15% and \+5ms +200 ms +50 ms +\+150 ms +INCONCLUSIVE$/m,
    );
    expect(text).toContain(
      '\n  regression: p95 · GET /items: no latency distribution on one side: cannot tell a regression from noise\n',
    );
  });
});
