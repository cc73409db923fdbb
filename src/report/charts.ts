import type { StageResult } from '../model/run-result.js';
import type { JsonReport } from './report-data.js';
import { table } from './markdown-safe.js';
import type { MessageKey } from './messages.js';

const MAX_POINTS = 30;

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

function chart(
  title: string,
  xLabels: string[],
  yTitle: string,
  series: { kind: 'line' | 'bar'; values: number[] }[],
): string {
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  return [
    '```mermaid',
    'xychart-beta',
    `  title ${label(title)}`,
    `  x-axis [${xLabels.map(label).join(', ')}]`,
    `  y-axis ${label(yTitle)} 0 --> ${num(Math.ceil(max * 1.1))}`,
    ...series.map((s) => `  ${s.kind} [${s.values.map(num).join(', ')}]`),
    '```',
  ].join('\n');
}

/** Users, requests/s and p95 over the ramp: two charts and the table they are drawn from. */
export function timelineCharts(
  stage: StageResult,
  t: Record<MessageKey, string>,
): string | undefined {
  const points = downsample(stage.timeline.filter((p) => p.users > 0 || p.rps > 0));
  if (points.length < 2) return undefined;
  const x = points.map((p) => `${p.second}s/${p.users}u`);
  return [
    chart(`${stage.name}: ${t.requestsPerSecond}`, x, 'req/s', [
      { kind: 'bar', values: points.map((p) => p.rps) },
    ]),
    chart(`${stage.name}: p95 (ms)`, x, 'ms', [{ kind: 'line', values: points.map((p) => p.p95) }]),
    table(
      [t.second, t.users, 'RPS', `${t.failures}/s`, 'p50 (ms)', 'p95 (ms)'],
      points.map((p) => [
        String(p.second),
        String(p.users),
        num(p.rps),
        num(p.failuresPerSecond),
        num(p.p50),
        num(p.p95),
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
  const series: { kind: 'line' | 'bar'; values: number[] }[] = [
    { kind: 'bar', values: endpoints.map((e) => e.latency.p95) },
  ];
  if (withBaseline)
    series.push({ kind: 'line', values: endpoints.map((e) => baseline.get(e.name) ?? 0) });
  return [
    chart(
      `p95 ${t.perEndpoint}${withBaseline ? ` (${t.barThisRunLineBaseline})` : ''}`,
      endpoints.map((e) => e.name),
      'ms',
      series,
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
