import type { EndpointStats } from '../model/run-result.js';
import type { ServiceSample } from '../model/stack-evidence.js';
import type { ThresholdResult } from '../model/verdict.js';
import { SERIES_PALETTE } from './chart-palette.js';
import { environmentFacts } from './environment-facts.js';
import { errorLabel } from './error-label.js';
import { actualValue, failuresWithShare, latency, thresholdLabel } from './format-values.js';
import { escapeHtml } from './html-safe.js';
import {
  baselineNote,
  stageNotes,
  stageReason,
  thresholdLimit,
  thresholdNote,
  thresholdStatus,
} from './gate-messages.js';
import { httpSampleText } from './http-sample-text.js';
import { messages, type Locale, type MessageKey } from './messages.js';
import { errorBesidesHeadline, type JsonReport } from './report-data.js';
import { resourcePeaks, serviceCells, serviceColumns } from './stack-resources.js';
import { lineChart, type ChartSeries } from './svg-chart.js';

type Messages = Record<MessageKey, string>;

export interface HtmlOptions {
  locale: Locale;
}

/**
 * Renders the report as one self-contained HTML page: the verdict and what to do first, then
 * the numbers, timeline charts (inline SVG), per-endpoint tables, findings, error samples,
 * stack resources and logs. No script, no external resource (a Content-Security-Policy
 * forbids both), every echoed string escaped. Expects already-redacted data. Pure.
 */
export function renderHtml(report: JsonReport, options: HtmlOptions): string {
  const t = messages(options.locale);
  const title = `loadgate: ${t[report.verdict]} — ${report.headline}`;
  const sections = [
    verdictSection(report, t),
    planSection(report, t),
    stagesSection(report, t, options.locale),
    thresholdsSection(report, t, options.locale),
    chartsSection(report, t),
    endpointsSection(report, t),
    findingsSection(report, t),
    errorsSection(report, t),
    resourcesSection(report, t),
    logsSection(report, t),
    `<footer id="environment">${escapeHtml(t.environment)}${escapeHtml(t.colon)} ${environmentFacts(report, t).map(escapeHtml).join(' · ')} · ${escapeHtml(report.generatedAt)}</footer>`,
  ].filter((s): s is string => s !== undefined);
  return `<!DOCTYPE html>
<html lang="${options.locale}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${sections.join('\n')}
</main>
</body>
</html>
`;
}

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;background:#fff;margin:0;line-height:1.45}
main{max-width:1200px;margin:0 auto;padding:16px 24px 48px}
h1{font-size:1.5em;margin:.4em 0}h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd;padding-bottom:.2em}h3{font-size:1.05em;margin:1.2em 0 .4em}
.verdict{border-left:6px solid #888;padding:4px 16px;background:#f6f6f6}
.verdict-pass{border-color:#1a7f37;background:#eef8f0}.verdict-fail{border-color:#cf222e;background:#fdf0f0}.verdict-inconclusive{border-color:#bf8700;background:#fdf8e8}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;font-size:.9em;margin:.4em 0}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.status-fail{color:#cf222e;font-weight:600}.status-pass{color:#1a7f37}.status-error,.status-inconclusive{color:#9a6700}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:12px}
.chart{border:1px solid #e3e3e3;border-radius:4px;background:#fff;width:100%;height:auto}
pre{background:#f6f8fa;border:1px solid #e3e3e3;padding:8px;overflow-x:auto;white-space:pre-wrap;word-break:break-word;font-size:.85em}
code{background:#f0f1f3;padding:0 3px;border-radius:3px}
.note{color:#9a6700}footer{margin-top:32px;color:#666;font-size:.85em}
`;

/** A threshold's status and why, in the locale; the class keeps the status's own name. */
function statusCell(th: ThresholdResult, locale: Locale): string {
  const note = thresholdNote(th, locale);
  return `<span class="status-${th.status}">${escapeHtml(thresholdStatus(th.status, locale))}</span>${note ? ` (${rich(note)})` : ''}`;
}

/** Escapes text, then shows `code` spans as code (plan texts and titles use backticks). */
function rich(text: string): string {
  return escapeHtml(text).replace(/`([^`\n]+)`/g, '<code>$1</code>');
}

function htmlTable(header: string[], rows: string[][], numeric: number[] = []): string {
  const cell = (c: string, i: number) =>
    `<td${numeric.includes(i) ? ' class="num"' : ''}>${c}</td>`;
  return `<div class="table-wrap"><table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table></div>`;
}

function section(id: string, heading: string, body: string): string {
  return `<section id="${id}"><h2>${escapeHtml(heading)}</h2>\n${body}\n</section>`;
}

function verdictSection(report: JsonReport, t: Messages): string {
  // a multi-line headline (a config error's list, a traceback): its first line as the title
  const [title = '', ...more] = report.headline.split(/\r?\n/);
  const lines = [`<h1>loadgate: ${escapeHtml(t[report.verdict])} — ${rich(title)}</h1>`];
  if (more.length > 0) lines.push(`<pre>${escapeHtml(more.join('\n'))}</pre>`);
  if (report.reason) {
    lines.push(
      `<p>${escapeHtml(t.reason)}${escapeHtml(t.colon)} <code>${escapeHtml(report.reason)}</code></p>`,
    );
  }
  if (!report.complete) {
    const error = errorBesidesHeadline(report);
    lines.push(
      `<p class="note">${escapeHtml(t.incomplete)}${error ? ` ${escapeHtml(error)}` : ''}</p>`,
    );
  }
  const top = report.findings[0];
  if (top) {
    lines.push(
      `<p><strong>${escapeHtml(t.mostProbableCause)}${escapeHtml(t.colon)}</strong> ${rich(top.title)} (<code>${escapeHtml(top.id)}</code>, ${escapeHtml(t.confidence)} ${Math.round(top.confidence * 100)}%)</p>`,
    );
    const first = report.plan[0];
    if (first) {
      lines.push(
        `<p><strong>${escapeHtml(t.doFirst)}${escapeHtml(t.colon)}</strong> ${rich(first.text)}</p>`,
      );
    }
  }
  return `<header id="verdict" class="verdict verdict-${report.verdict}">\n${lines.join('\n')}\n</header>`;
}

function planSection(report: JsonReport, t: Messages): string | undefined {
  if (report.plan.length === 0) return undefined;
  return section(
    'plan',
    t.actionPlan,
    htmlTable(
      [t.priority, t.problem, t.probableCause, t.correctiveAction, t.effort],
      report.plan.map((item) => [
        escapeHtml(t[item.priority]),
        rich(item.problem),
        rich(item.cause),
        rich(item.text),
        escapeHtml(item.effort),
      ]),
    ),
  );
}

function stagesSection(report: JsonReport, t: Messages, locale: Locale): string | undefined {
  if (report.stages.length === 0) return undefined;
  return section(
    'stages',
    t.stages,
    htmlTable(
      [t.stage, t.status, t.users, t.duration, t.requests, t.failures, 'RPS', 'p95 (ms)'],
      report.stages.map((s) => [
        escapeHtml(s.name),
        [
          `${escapeHtml(t[s.status])}${stageReason(s, locale) ? `${escapeHtml(t.colon)} ${rich(stageReason(s, locale) ?? '')}` : ''}`,
          s.model === 'open'
            ? escapeHtml(
                `${t.openModel} ${s.targetRate}/s, ${s.droppedIterations ?? 0} ${t.dropped}`,
              )
            : '',
          ...stageNotes(s, locale).map(rich),
        ]
          .filter(Boolean)
          .join('; '),
        escapeHtml(s.peakUsers === s.users ? String(s.users) : `${s.peakUsers}/${s.users}`),
        `${(s.durationMs / 1000).toFixed(1)} s`,
        String(s.total.requests),
        failuresWithShare(s.total),
        s.total.rps.toFixed(1),
        s.total.requests ? latency(s.total, 'p95') : '–',
      ]),
      [2, 3, 4, 5, 6, 7],
    ),
  );
}

function thresholdsSection(report: JsonReport, t: Messages, locale: Locale): string | undefined {
  if (report.thresholds.length === 0) return undefined;
  const withBaseline = report.thresholds.some((th) => th.baseline !== undefined);
  const baseline = report.baseline
    ? `<p id="baseline">${escapeHtml(t.comparedWith)} <code>${escapeHtml(report.baseline.commit ? report.baseline.commit.slice(0, 7) : report.baseline.source)}</code>${baselineNote(report.baseline, locale) ? ` (${rich(baselineNote(report.baseline, locale) ?? '')})` : ''}</p>\n`
    : '';
  return section(
    'thresholds',
    t.thresholds,
    baseline +
      htmlTable(
        [t.threshold, t.limit, t.actual, ...(withBaseline ? [t.baseline, 'Δ'] : []), t.status],
        report.thresholds.map((th) => [
          escapeHtml(thresholdLabel(th, t, (text) => text)),
          escapeHtml(thresholdLimit(th, locale)),
          escapeHtml(actualValue(th, t)),
          ...(withBaseline
            ? [
                th.baseline === undefined ? '' : escapeHtml(`${th.baseline} ${th.unit}`),
                th.delta === undefined
                  ? ''
                  : escapeHtml(`${th.delta > 0 ? '+' : ''}${th.delta} ${th.unit}`),
              ]
            : []),
          statusCell(th, locale),
        ]),
        withBaseline ? [2, 3, 4] : [2],
      ),
  );
}

/** Per stage that ran: users, requests and failures per second, p50/p95/p99 over time. */
function chartsSection(report: JsonReport, t: Messages): string | undefined {
  const stages = report.stages.filter((s) => s.timeline.length > 0);
  if (stages.length === 0) return undefined;
  return section(
    'charts',
    t.timeline,
    stages
      .map((stage) => {
        const points = stage.timeline.filter((p) => p.users > 0 || p.rps > 0);
        const x = points.map((p) => p.second);
        const chart = (title: string, yUnit: string, series: ChartSeries[]) =>
          lineChart({
            title: `${stage.name}: ${title}`,
            x,
            xUnit: 's',
            yUnit,
            series,
            emptyText: t.noData,
          });
        const withP99 = points.some((p) => p.p99 !== undefined);
        return `<h3>${escapeHtml(stage.name)}</h3>\n<div class="charts">\n${[
          chart(t.users, '', [
            {
              name: t.users,
              colour: SERIES_PALETTE.users.colour,
              values: points.map((p) => p.users),
            },
          ]),
          chart(t.throughputOverTime, '/s', [
            { name: 'RPS', colour: SERIES_PALETTE.rps.colour, values: points.map((p) => p.rps) },
            {
              name: t.failuresPerSecond,
              colour: SERIES_PALETTE.failures.colour,
              values: points.map((p) => p.failuresPerSecond),
            },
          ]),
          chart(t.responseTime, 'ms', [
            { name: 'p50', colour: SERIES_PALETTE.p50.colour, values: points.map((p) => p.p50) },
            { name: 'p95', colour: SERIES_PALETTE.p95.colour, values: points.map((p) => p.p95) },
            ...(withP99
              ? [
                  {
                    name: 'p99',
                    colour: SERIES_PALETTE.p99.colour,
                    values: points.map((p) => p.p99 ?? Number.NaN),
                  },
                ]
              : []),
          ]),
        ].join('\n')}\n</div>`;
      })
      .join('\n'),
  );
}

function endpointsSection(report: JsonReport, t: Messages): string | undefined {
  const stages = report.stages.filter((s) => s.endpoints.length > 0);
  if (stages.length === 0) return undefined;
  const row = (e: EndpointStats, name = e.name) => [
    escapeHtml(name),
    String(e.requests),
    failuresWithShare(e),
    ...(['p50', 'p95', 'p99', 'mean', 'min', 'max'] as const).map((k) => latency(e, k)),
    e.rps.toFixed(1),
    e.failuresPerSecond.toFixed(1),
    escapeHtml(
      Object.entries(e.statusCodes)
        .map(([code, n]) => `${code}×${n}`)
        .join(' '),
    ),
  ];
  return section(
    'endpoints',
    t.endpointStats,
    stages
      .map(
        (stage) =>
          `<h3>${escapeHtml(stage.name)}</h3>\n` +
          htmlTable(
            [
              t.endpoint,
              t.requests,
              t.failures,
              'p50 (ms)',
              'p95 (ms)',
              'p99 (ms)',
              `${t.mean} (ms)`,
              'min (ms)',
              'max (ms)',
              'RPS',
              t.failuresPerSecond,
              'HTTP',
            ],
            [...stage.endpoints.map((e) => row(e)), row(stage.total, t.aggregated)],
            [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
          ),
      )
      .join('\n'),
  );
}

function findingsSection(report: JsonReport, t: Messages): string | undefined {
  if (report.findings.length === 0) return undefined;
  return section(
    'findings',
    t.findings,
    report.findings
      .map(
        (f) =>
          `<article class="finding"><h3>${rich(f.title)}</h3>\n<p><code>${escapeHtml(f.id)}</code> · ${escapeHtml(t[f.priority])} · ${escapeHtml(t.confidence)} ${Math.round(f.confidence * 100)}%</p>\n` +
          (f.evidence.length
            ? `<p>${escapeHtml(t.evidence)}${escapeHtml(t.colon)}</p><ul>${f.evidence.map((e) => `<li>${rich(e)}</li>`).join('')}</ul>\n`
            : '') +
          (f.actions.length
            ? `<p>${escapeHtml(t.correctiveAction)}${escapeHtml(t.colon)}</p><ul>${f.actions.map((a) => `<li>${rich(a.text)} (${escapeHtml(t[a.priority])}, ${escapeHtml(a.effort)})</li>`).join('')}</ul>\n`
            : '') +
          '</article>',
      )
      .join('\n'),
  );
}

function errorsSection(report: JsonReport, t: Messages): string | undefined {
  const samples = report.stages.flatMap((stage) =>
    stage.endpoints.flatMap((e) =>
      e.errors.map((error) => {
        const text = httpSampleText(error.sample, t);
        return [
          `<h3>${escapeHtml(`${stage.name} · ${e.name}`)} — ${escapeHtml(errorLabel(error, t))} × ${error.count} ${escapeHtml(t.occurrences)}</h3>`,
          `<p>${escapeHtml(t.request)}${escapeHtml(t.colon)}</p><pre class="http-request">${escapeHtml(text.request)}</pre>`,
          text.response === undefined
            ? `<p>${escapeHtml(t.response)}${escapeHtml(t.colon)} ${escapeHtml(t.noResponse)}</p>`
            : `<p>${escapeHtml(t.response)}${escapeHtml(t.colon)}</p><pre class="http-response">${escapeHtml(text.response)}</pre>`,
        ].join('\n');
      }),
    ),
  );
  if (samples.length === 0) return undefined;
  return section('errors', t.errors, samples.join('\n'));
}

function resourcesSection(report: JsonReport, t: Messages): string | undefined {
  const samples = report.stack?.resources ?? [];
  const services = report.stack?.services ?? [];
  if (samples.length === 0 && services.length === 0) return undefined;
  const parts: string[] = [];
  if (samples.length > 0) parts.push(`<p>${escapeHtml(resourcePeaks(samples, t))}</p>`);
  if (services.length > 0) {
    parts.push(
      htmlTable(
        serviceColumns(t),
        services.map((s) => serviceCells(s, t).map(escapeHtml)),
        [3, 4],
      ),
    );
  }
  // CPU and memory over time: the process group and each service, on the seconds they share
  const series: { name: string; samples: ServiceSample[] }[] = [
    ...(samples.length
      ? [
          {
            name: t.processGroup,
            samples: samples.map((s) => ({
              second: s.second,
              cpuPercent: s.cpuPercent,
              memoryMb: s.rssMb,
            })),
          },
        ]
      : []),
    ...services
      .filter((s) => s.samples.length > 0)
      .map((s) => ({ name: s.service, samples: s.samples })),
  ];
  if (series.length > 0) {
    const seconds = [
      ...new Set(series.flatMap((s) => s.samples.map((p) => Math.round(p.second)))),
    ].sort((a, b) => a - b);
    const colours = Object.values(SERIES_PALETTE).map((p) => p.colour);
    const over = (key: 'cpuPercent' | 'memoryMb'): ChartSeries[] =>
      series.map((s, i) => {
        const bySecond = new Map(s.samples.map((p) => [Math.round(p.second), p[key]]));
        return {
          name: s.name,
          colour: colours[i % colours.length] as string,
          values: seconds.map((sec) => bySecond.get(sec) ?? Number.NaN),
        };
      });
    parts.push(
      `<div class="charts">\n${lineChart({
        title: t.cpuOverTime,
        x: seconds,
        xUnit: 's',
        yUnit: '%',
        series: over('cpuPercent'),
        emptyText: t.noData,
      })}\n${lineChart({
        title: t.memoryOverTime,
        x: seconds,
        xUnit: 's',
        yUnit: 'MiB',
        series: over('memoryMb'),
        emptyText: t.noData,
      })}\n</div>`,
    );
  }
  return section('resources', t.stackResources, parts.join('\n'));
}

function logsSection(report: JsonReport, t: Messages): string | undefined {
  const stack = report.stack;
  if (!stack) return undefined;
  const logs: [string, string[]][] = [
    [t.stackLog, stack.logTail],
    ...(stack.services ?? []).map((s): [string, string[]] => [
      `${t.serviceLog}: ${s.service}`,
      s.logTail,
    ]),
    [t.teardownLog, stack.teardownTail ?? []],
  ];
  const shown = logs.filter(([, lines]) => lines.length > 0);
  if (shown.length === 0) return undefined;
  return section(
    'logs',
    t.logs,
    shown
      .map(
        ([name, lines]) =>
          `<details><summary>${escapeHtml(name)}</summary><pre>${escapeHtml(lines.join('\n'))}</pre></details>`,
      )
      .join('\n'),
  );
}
