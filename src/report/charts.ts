import type { StageResult } from '../model/run-result.js';
import { SERIES_PALETTE, type Series } from './chart-palette.js';
import type { JsonReport } from './report-data.js';
import { table } from './markdown-safe.js';
import type { MessageKey } from './messages.js';

const MAX_POINTS = 30;
/** More x-axis labels than this overlap once they read like `125s/300u`. */
export const MAX_AXIS_LABELS = 10;

/** Mermaid strings are double-quoted: keep the text to what the grammar accepts. */
function label(text: string): string {
  return `"${text.replace(/["\\`]/g, "'").replace(/[\r\n]+/g, ' ')}"`;
}

function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Evenly keeps at most `max` points, always the last one. */
function downsample<T>(points: T[], max = MAX_POINTS): T[] {
  if (points.length <= max) return points;
  const step = points.length / max;
  return Array.from(
    { length: max },
    (_, i) => points[Math.min(points.length - 1, Math.round((i + 1) * step) - 1)] as T,
  );
}

/**
 * Keeps at most MAX_AXIS_LABELS labels, evenly spaced and ending on the last point; the others
 * become invisible. Mermaid draws one label per category and merges equal categories, so each
 * hidden label is a distinct run of zero-width characters (the point's index in binary).
 */
export function thinLabels(texts: string[]): string[] {
  const every = Math.ceil(texts.length / MAX_AXIS_LABELS);
  return texts.map((text, i) =>
    (texts.length - 1 - i) % every === 0
      ? text
      : i.toString(2).replace(/0/g, '\u200b').replace(/1/g, '\u200c'),
  );
}

interface Plot {
  kind: 'line' | 'bar';
  series: Series;
  values: number[];
}

/** One xychart whose series take their colour from SERIES_PALETTE, in the order given. */
function chart(title: string, xLabels: string[], yTitle: string, plots: Plot[]): string {
  const max = Math.max(1, ...plots.flatMap((p) => p.values));
  const palette = plots.map((p) => SERIES_PALETTE[p.series].colour).join(', ');
  return [
    '```mermaid',
    `%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "${palette}"}}}}%%`,
    'xychart-beta',
    `  title ${label(title)}`,
    `  x-axis [${xLabels.map(label).join(', ')}]`,
    `  y-axis ${label(yTitle)} 0 --> ${num(Math.ceil(max * 1.1))}`,
    ...plots.map((p) => `  ${p.kind} [${p.values.map(num).join(', ')}]`),
    '```',
  ].join('\n');
}

/** "p50 green, p95 orange": which line is which (xychart draws no legend). */
function legend(plots: Plot[], t: Record<MessageKey, string>): string {
  return plots.map((p) => `${p.series} ${t[SERIES_PALETTE[p.series].name]}`).join(', ');
}

/**
 * Over the ramp: requests/s, p50/p95/p99 in one chart, failures/s when any request failed (a
 * flat zero chart says nothing the table does not), then the table they are drawn from.
 */
export function timelineCharts(
  stage: StageResult,
  t: Record<MessageKey, string>,
): string | undefined {
  const points = downsample(stage.timeline.filter((p) => p.users > 0 || p.rps > 0));
  if (points.length < 2) return undefined;
  const x = thinLabels(points.map((p) => `${p.second}s/${p.users}u`));
  const latency: Plot[] = [
    { kind: 'line', series: 'p50', values: points.map((p) => p.p50) },
    { kind: 'line', series: 'p95', values: points.map((p) => p.p95) },
  ];
  // reports written before p99 was recorded per second have none
  if (points.every((p) => p.p99 !== undefined))
    latency.push({ kind: 'line', series: 'p99', values: points.map((p) => p.p99 as number) });
  const failed = points.some((p) => p.failuresPerSecond > 0);
  return [
    chart(`${stage.name}: ${t.requestsPerSecond}`, x, 'req/s', [
      { kind: 'bar', series: 'rps', values: points.map((p) => p.rps) },
    ]),
    chart(`${stage.name}: ${t.latency} (ms), ${legend(latency, t)}`, x, 'ms', latency),
    ...(failed
      ? [
          chart(`${stage.name}: ${t.failuresPerSecond}`, x, `${t.failures}/s`, [
            { kind: 'bar', series: 'failures', values: points.map((p) => p.failuresPerSecond) },
          ]),
        ]
      : []),
    table(
      [t.second, t.users, 'RPS', `${t.failures}/s`, 'p50 (ms)', 'p95 (ms)', 'p99 (ms)'],
      points.map((p) => [
        String(p.second),
        String(p.users),
        num(p.rps),
        num(p.failuresPerSecond),
        num(p.p50),
        num(p.p95),
        p.p99 === undefined ? '' : num(p.p99),
      ]),
    ),
  ].join('\n\n');
}

/** p95 per endpoint, against the baseline when one was compared: a chart and its table. */
export function endpointChart(
  report: JsonReport,
  stage: StageResult,
  t: Record<MessageKey, string>,
): string | undefined {
  const endpoints = stage.endpoints.filter((e) => e.requests > 0).slice(0, 12);
  if (endpoints.length === 0) return undefined;
  const baseline = new Map(
    report.thresholds
      .filter(
        (th) =>
          th.kind === 'regression' &&
          th.metric === 'p95' &&
          th.scope !== 'global' &&
          th.baseline !== undefined,
      )
      .map((th) => [th.scope, th.baseline as number]),
  );
  const withBaseline = endpoints.some((e) => baseline.has(e.name));
  const plots: Plot[] = [
    { kind: 'bar', series: 'p95', values: endpoints.map((e) => e.latency.p95) },
  ];
  if (withBaseline)
    plots.push({
      kind: 'line',
      series: 'baseline',
      values: endpoints.map((e) => baseline.get(e.name) ?? 0),
    });
  return [
    chart(
      `p95 ${t.perEndpoint}${withBaseline ? ` (${t.barThisRunLineBaseline})` : ''}`,
      endpoints.map((e) => e.name),
      'ms',
      plots,
    ),
    table(
      [t.endpoint, 'p95 (ms)', ...(withBaseline ? [`${t.baseline} (ms)`] : [])],
      endpoints.map((e) => [
        e.name.replace(/\|/g, '\\|'),
        num(e.latency.p95),
        ...(withBaseline ? [baseline.has(e.name) ? num(baseline.get(e.name) as number) : ''] : []),
      ]),
    ),
  ].join('\n\n');
}
