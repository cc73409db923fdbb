import type { EndpointStats, StageResult } from '../model/run-result.js';
import type { ThresholdStatus, Verdict } from '../model/verdict.js';
import { painter, type Style } from './colour.js';
import {
  actualValue,
  failuresWithShare,
  latency,
  rejectedEndpoints,
  thresholdLabel,
} from './format-values.js';
import {
  baselineNote,
  stageNotes,
  stageReason,
  thresholdLimit,
  thresholdNote,
} from './gate-messages.js';
import { errorLabel } from './error-label.js';
import { messages, type Locale, type MessageKey } from './messages.js';
import { errorBesidesHeadline, type JsonReport } from './report-data.js';
import { alignedTable, plain, plainLines, type Column } from './terminal-text.js';

export interface TerminalOptions {
  locale: Locale;
  /** ANSI colours (see useColour); off gives plain text. */
  colour: boolean;
}

const VERDICT: Record<Verdict, { icon: string; style: Style }> = {
  pass: { icon: '✔', style: 'green' },
  fail: { icon: '✖', style: 'red' },
  inconclusive: { icon: '⚠', style: 'yellow' },
};

const STATUS_STYLE: Record<ThresholdStatus, Style> = {
  pass: 'green',
  fail: 'red',
  error: 'yellow',
  inconclusive: 'yellow',
};

type Paint = ReturnType<typeof painter>;
type Messages = Record<MessageKey, string>;

/**
 * Renders the report for a terminal: the verdict and what to do first, then per stage an
 * aligned per-endpoint table as Locust prints it, the thresholds with pass/fail and the rest of
 * the plan. Plain text: no markdown, no HTML entities; echoed text has its control characters
 * removed. Expects already-redacted data. Pure.
 */
/** The top finding's evidence shown under it: the rest is in the JSON and HTML reports. */
const MAX_EVIDENCE_LINES = 6;
const MAX_EVIDENCE_CHARS = 240;

const cut = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

export function renderTerminal(report: JsonReport, options: TerminalOptions): string {
  const t = messages(options.locale);
  const paint = painter(options.colour);
  const sections: string[][] = [verdictSection(report, t, paint)];

  const top = report.findings[0];
  if (top) {
    const first = report.plan[0];
    sections.push([
      `${paint('bold', `${t.mostProbableCause}${t.colon}`)} ${plain(top.title)} ${paint('dim', `(${top.id}, ${t.confidence} ${Math.round(top.confidence * 100)}%)`)}`,
      // what it rests on (the status and the body the API answered, the log line, ...)
      ...top.evidence
        .slice(0, MAX_EVIDENCE_LINES)
        .map((line) => `  ${paint('dim', '·')} ${cut(plain(line), MAX_EVIDENCE_CHARS)}`),
      ...(first ? [`${paint('bold', `${t.doFirst}${t.colon}`)} ${plain(first.text)}`] : []),
    ]);
  }
  for (const stage of report.stages) {
    sections.push(stageSection(stage, t, paint, options.locale));
  }
  if (report.thresholds.length > 0) {
    sections.push(thresholdsSection(report, t, paint, options.locale));
  }
  // the first action is above, under "do this first": the plan lists what comes after it
  const rest = report.plan.slice(1);
  if (rest.length > 0) {
    sections.push([
      paint('bold', t.actionPlan),
      ...rest.map(
        (item, i) =>
          `${i + 2}. ${plain(item.text)} ${paint('dim', `(${t[item.priority]}, ${plain(item.effort)})`)}`,
      ),
    ]);
  }
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function verdictSection(report: JsonReport, t: Messages, paint: Paint): string[] {
  const { icon, style } = VERDICT[report.verdict];
  const [first = '', ...more] = plainLines(report.headline);
  const lines = [
    `${paint(style, paint('bold', `${icon} loadgate: ${t[report.verdict]}`))} — ${first}`,
    ...more.map((line) => `  ${line}`),
  ];
  if (!report.complete) {
    const error = errorBesidesHeadline(report);
    lines.push(paint('yellow', `${t.incomplete}${error ? ` ${plain(error)}` : ''}`));
  }
  return lines;
}

function stageSection(stage: StageResult, t: Messages, paint: Paint, locale: Locale): string[] {
  const reason = stageReason(stage, locale);
  const facts = [
    `${t[stage.status]}${reason ? `${t.colon} ${plain(reason)}` : ''}`,
    ...(stage.status === 'skipped'
      ? []
      : [
          `${t.users}${t.colon} ${stage.peakUsers === stage.users ? stage.users : `${stage.peakUsers}/${stage.users}`}`,
          `${t.duration}${t.colon} ${(stage.durationMs / 1000).toFixed(1)} s`,
        ]),
    ...(stage.model === 'open'
      ? [`${t.openModel} ${stage.targetRate}/s, ${stage.droppedIterations ?? 0} ${t.dropped}`]
      : []),
    ...stageNotes(stage, locale).map(plain),
  ];
  const lines = [`${paint('bold', `${t.stage} ${stage.name}`)}${t.colon} ${facts.join(' · ')}`];
  if (stage.endpoints.length === 0) return lines;
  lines.push(...endpointTable(stage, t, paint));
  const { allFailed, mostFailed } = rejectedEndpoints(stage.endpoints);
  const names = (list: EndpointStats[]) => list.map((e) => plain(e.name)).join(', ');
  if (allFailed.length)
    lines.push(paint('yellow', `⚠ ${names(allFailed)}: ${t.errorsOnly}; ${t.rejectionTimings}`));
  if (mostFailed.length)
    lines.push(paint('yellow', `⚠ ${names(mostFailed)}: ${t.mostFailed}; ${t.rejectionTimings}`));
  // Locust's error report: how often each error came back (the samples are in the other formats)
  const errors = stage.endpoints.flatMap((e) =>
    e.errors.map((error) => [
      String(error.count),
      `${plain(e.name)}: ${plain(errorLabel(error, t))}`,
    ]),
  );
  if (errors.length > 0) {
    const [header = '', rule = '', ...body] = alignedTable(
      [{ header: capitalized(t.occurrences), align: 'right' }, { header: t.errors }],
      errors,
    );
    lines.push('', paint('bold', header), paint('dim', rule), ...body);
  }
  return lines;
}

/** Locust's columns for what the report holds: the numbers right-aligned, the total last. */
function endpointTable(stage: StageResult, t: Messages, paint: Paint): string[] {
  const columns: Column[] = [
    { header: t.endpoint },
    ...[t.requests, t.failures, t.median, 'p95 (ms)', 'p99 (ms)', t.average, 'RPS'].map(
      (header) => ({ header, align: 'right' as const }),
    ),
  ];
  const row = (e: EndpointStats, name: string) => [
    name,
    String(e.requests),
    e.failures > 0 ? paint('red', failuresWithShare(e)) : failuresWithShare(e),
    latency(e, 'p50'),
    latency(e, 'p95'),
    latency(e, 'p99'),
    latency(e, 'mean'),
    e.rps.toFixed(1),
  ];
  const [header = '', rule = '', ...body] = alignedTable(columns, [
    ...stage.endpoints.map((e) => row(e, plain(e.name))),
    row(stage.total, t.aggregated),
  ]);
  return [paint('bold', header), paint('dim', rule), ...body];
}

function thresholdsSection(
  report: JsonReport,
  t: Messages,
  paint: Paint,
  locale: Locale,
): string[] {
  const withBaseline = report.thresholds.some((th) => th.baseline !== undefined);
  const columns: Column[] = [
    { header: t.threshold },
    { header: t.limit },
    { header: t.actual, align: 'right' },
    ...(withBaseline
      ? [
          { header: t.baseline, align: 'right' as const },
          { header: 'Δ', align: 'right' as const },
        ]
      : []),
    { header: t.status },
  ];
  const rows = report.thresholds.map((th) => [
    thresholdLabel(th, t, plain),
    plain(thresholdLimit(th, locale)),
    actualValue(th, t),
    ...(withBaseline
      ? [
          th.baseline === undefined ? '' : `${th.baseline} ${th.unit}`,
          th.delta === undefined ? '' : `${th.delta > 0 ? '+' : ''}${th.delta} ${th.unit}`,
        ]
      : []),
    paint(STATUS_STYLE[th.status], t[th.status]),
  ]);
  // why a status is what it is, under the table: a long note would stretch the status column
  const notes = report.thresholds.flatMap((th) => {
    const note = thresholdNote(th, locale);
    return note ? [paint('dim', `  ${thresholdLabel(th, t, plain)}${t.colon} ${plain(note)}`)] : [];
  });
  const [header = '', rule = '', ...body] = alignedTable(columns, rows);
  const baseline = report.baseline;
  return [
    paint('bold', t.thresholds),
    ...(baseline
      ? [
          `${t.comparedWith} ${baseline.commit ? baseline.commit.slice(0, 7) : plain(baseline.source)}${baselineNote(baseline, locale) ? ` (${plain(baselineNote(baseline, locale) ?? '')})` : ''}`,
        ]
      : []),
    paint('bold', header),
    paint('dim', rule),
    ...body,
    ...notes,
  ];
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
