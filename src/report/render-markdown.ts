import { HTML_REPORT_FILE } from '../shared/constants.js';
import type { EndpointStats, StageResult } from '../model/run-result.js';
import type { ThresholdResult } from '../model/verdict.js';
import { errorBesidesHeadline, type JsonReport } from './report-data.js';
import { endpointChart, timelineCharts } from './charts.js';
import { environmentFacts } from './environment-facts.js';
import { errorLabel } from './error-label.js';
import {
  baselineNote,
  stageNotes,
  stageReason,
  thresholdLimit,
  thresholdNote,
  thresholdStatus,
} from './gate-messages.js';
import { httpSampleText } from './http-sample-text.js';
import {
  actualValue,
  failuresWithShare,
  latency,
  rejectedEndpoints,
  thresholdLabel,
} from './format-values.js';
import { codeBlock, details, inline, table } from './markdown-safe.js';
import { messages, type Locale, type MessageKey } from './messages.js';
import { resourcePeaks, serviceCells, serviceColumns } from './stack-resources.js';

const VERDICT_ICON = { pass: '✅', fail: '❌', inconclusive: '⚠️' } as const;
const STATUS_ICON = { pass: '✅', fail: '❌', error: '⚠️', inconclusive: '❔' } as const;

export interface MarkdownOptions {
  locale: Locale;
  /** Hidden marker placed first (the sticky comment's identity); omitted for the summary. */
  marker?: string;
  /** A markdown link to the workflow run whose artifact holds the HTML report, if uploaded. */
  runLink?: string;
}

/**
 * Renders the report as GitHub-flavoured markdown: the verdict and the one thing that matters
 * first, then what to do, then the numbers, then the evidence in collapsible sections.
 * Expects already-redacted data. Pure.
 */
export function renderMarkdown(report: JsonReport, options: MarkdownOptions): string {
  const t = messages(options.locale);
  const parts: string[] = [];
  if (options.marker) parts.push(options.marker);
  // a multi-line headline (a config error's list, a traceback): its first line as the title,
  // the rest kept as lines in a code block rather than run together
  const [title = '', ...more] = report.headline.split(/\r?\n/);
  parts.push(
    `## ${VERDICT_ICON[report.verdict]} loadgate: ${t[report.verdict]} — ${inline(title)}`,
  );
  if (more.length > 0) parts.push(codeBlock(more.join('\n')));
  if (!report.complete) {
    const error = errorBesidesHeadline(report);
    parts.push(`> ${t.incomplete}${error ? ` ${inline(error)}` : ''}`);
  }

  const top = report.findings[0];
  if (top) {
    const first = report.plan[0];
    parts.push(
      [
        `**${t.mostProbableCause}${t.colon}** ${inline(top.title)} (\`${top.id}\`, ${t.confidence} ${Math.round(top.confidence * 100)}%)`,
        ...(first ? [`**${t.doFirst}${t.colon}** ${inline(first.text)}`] : []),
      ].join('\n\n'),
    );
  }
  if (report.plan.length > 0) {
    parts.push(
      `### ${t.actionPlan}\n\n` +
        table(
          [t.priority, t.problem, t.probableCause, t.correctiveAction, t.effort],
          report.plan.map((item) => [
            t[item.priority],
            inline(item.problem),
            inline(item.cause),
            inline(item.text),
            inline(item.effort),
          ]),
        ),
    );
  }
  if (report.stages.length > 0) {
    parts.push(`### ${t.stages}\n\n${stagesTable(report.stages, t, options.locale)}`);
  }
  if (report.thresholds.length > 0) {
    const withBaseline = report.thresholds.some((th) => th.baseline !== undefined);
    parts.push(
      `### ${t.thresholds}\n\n` +
        (report.baseline
          ? `${t.comparedWith} ${inline(report.baseline.commit ? `\`${report.baseline.commit.slice(0, 7)}\`` : report.baseline.source)}${baselineNote(report.baseline, options.locale) ? ` (${inline(baselineNote(report.baseline, options.locale) ?? '')})` : ''}\n\n`
          : '') +
        table(
          [t.threshold, t.limit, t.actual, ...(withBaseline ? [t.baseline, 'Δ'] : []), t.status],
          report.thresholds.map((th) => [
            thresholdLabel(th, t, inline),
            inline(thresholdLimit(th, options.locale)),
            actualValue(th, t),
            ...(withBaseline
              ? [
                  th.baseline === undefined ? '' : `${th.baseline} ${th.unit}`,
                  th.delta === undefined
                    ? ''
                    : `${th.delta > 0 ? '🔺 +' : th.delta < 0 ? '🔻 ' : ''}${th.delta} ${th.unit}`,
                ]
              : []),
            statusCell(th, options.locale),
          ]),
        ),
    );
  }
  if (report.findings.length > 0) {
    parts.push(
      details(
        t.findings,
        report.findings
          .map(
            (f) =>
              `**${inline(f.title)}** (\`${f.id}\`, ${t[f.priority]}, ${t.confidence} ${Math.round(f.confidence * 100)}%)\n\n` +
              f.evidence.map((e) => `- ${inline(e)}`).join('\n'),
          )
          .join('\n\n'),
      ),
    );
  }
  for (const stage of report.stages.filter((s) => s.endpoints.length > 0)) {
    parts.push(details(`${t.endpointStats}: ${stage.name}`, endpointTable(stage, t)));
  }
  const charted =
    report.stages.find((s) => s.name === 'ramp' && s.total.requests > 0) ??
    report.stages.find((s) => s.total.requests > 0);
  if (charted) {
    const charts = [timelineCharts(charted, t), endpointChart(report, charted, t)].filter(Boolean);
    if (charts.length > 0) parts.push(details(t.charts, charts.join('\n\n')));
  }
  const errorSections = report.stages.flatMap((stage) => errorsSection(stage, t));
  if (errorSections.length > 0) parts.push(details(t.errors, errorSections.join('\n\n')));
  const resources = stackResources(report, t);
  if (resources) parts.push(details(t.stackResources, resources));
  if (report.stack && report.stack.logTail.length > 0) {
    parts.push(details(t.stackLog, codeBlock(report.stack.logTail.join('\n'))));
  }
  for (const service of report.stack?.services ?? []) {
    if (service.logTail.length === 0) continue;
    parts.push(
      details(`${t.serviceLog}: ${inline(service.service)}`, codeBlock(service.logTail.join('\n'))),
    );
  }
  if (report.stack?.teardownTail?.length) {
    parts.push(details(t.teardownLog, codeBlock(report.stack.teardownTail.join('\n'))));
  }
  if (options.runLink) {
    parts.push(
      `${t.fullReport}${t.colon} \`${HTML_REPORT_FILE}\` ${t.inRunArtifact} ${options.runLink}.`,
    );
  }
  const env = environmentFacts(report, t).map(inline);
  parts.push(`<sub>${t.environment}${t.colon} ${env.join(' · ')}</sub>`);
  return `${parts.join('\n\n')}\n`;
}

function stackResources(report: JsonReport, t: Record<MessageKey, string>): string | undefined {
  const samples = report.stack?.resources ?? [];
  const services = report.stack?.services ?? [];
  const compose = report.stack?.compose;
  if (samples.length === 0 && services.length === 0) return undefined;
  const lines: string[] = [];
  if (samples.length > 0) lines.push(resourcePeaks(samples, t));
  if (services.length > 0) {
    lines.push(
      table(
        serviceColumns(t),
        services.map((s) => serviceCells(s, t).map(inline)),
      ),
    );
  }
  if (compose?.leftovers?.length) {
    lines.push(
      `docker compose ${inline(compose.project)}: ${inline(compose.leftovers.join(', '))} ${t.composeLeftovers}`,
    );
  }
  return lines.join('\n\n');
}

/** A threshold's status and why: `✅ pass`, `⚠️ erreur (aucune requête envoyée)`. */
function statusCell(th: ThresholdResult, locale: Locale): string {
  const note = thresholdNote(th, locale);
  return `${STATUS_ICON[th.status]} ${thresholdStatus(th.status, locale)}${note ? ` (${inline(note)})` : ''}`;
}

function stagesTable(stages: StageResult[], t: Record<MessageKey, string>, locale: Locale): string {
  return table(
    [t.stage, t.status, t.users, t.duration, t.requests, t.failures, 'RPS', 'p95 (ms)'],
    stages.map((s) => {
      const reason = stageReason(s, locale);
      return [
        s.name,
        [
          `${t[s.status]}${reason ? `${t.colon} ${inline(reason)}` : ''}`,
          s.model === 'open'
            ? `${t.openModel} ${s.targetRate}/s, ${s.droppedIterations ?? 0} ${t.dropped}`
            : '',
          ...stageNotes(s, locale).map(inline),
        ]
          .filter(Boolean)
          .join('; '),
        s.peakUsers === s.users ? String(s.users) : `${s.peakUsers}/${s.users}`,
        `${(s.durationMs / 1000).toFixed(1)} s`,
        String(s.total.requests),
        failuresWithShare(s.total),
        s.total.rps.toFixed(1),
        s.total.requests ? latency(s.total, 'p95') : '–',
      ];
    }),
  );
}

/** Locust's columns, in Locust's order, so the table reads like the report people know. */
function endpointTable(stage: StageResult, t: Record<MessageKey, string>): string {
  const row = (e: EndpointStats, type: string) => [
    type,
    inline(e === stage.total ? t.aggregated : e.name.replace(/^[A-Z]+ /, '')),
    String(e.requests),
    failuresWithShare(e),
    latency(e, 'p50'),
    latency(e, 'p95'),
    latency(e, 'p99'),
    latency(e, 'mean'),
    latency(e, 'min'),
    latency(e, 'max'),
    e.requests ? String(Math.round(e.bytesReceived / e.requests)) : '0',
    e.rps.toFixed(1),
    e.failuresPerSecond.toFixed(1),
  ];
  const body = table(
    [
      t.type,
      t.name,
      `# ${t.requests}`,
      `# ${t.fails}`,
      t.median,
      '95%ile (ms)',
      '99%ile (ms)',
      t.average,
      'Min (ms)',
      'Max (ms)',
      t.averageSize,
      'RPS',
      t.failuresPerSecondShort,
    ],
    [...stage.endpoints.map((e) => row(e, e.method)), row(stage.total, '')],
  );
  // When most requests failed, the timings describe rejections, not the service: say so.
  const { allFailed, mostFailed } = rejectedEndpoints(stage.endpoints);
  const note = [
    allFailed.length
      ? `⚠️ ${allFailed.map((e) => inline(e.name)).join(', ')}: ${t.errorsOnly}; ${t.rejectionTimings}`
      : '',
    mostFailed.length
      ? `⚠️ ${mostFailed.map((e) => inline(e.name)).join(', ')}: ${t.mostFailed}; ${t.rejectionTimings}`
      : '',
  ]
    .filter(Boolean)
    .map((line) => `\n\n${line}`)
    .join('');
  return body + note;
}

function errorsSection(stage: StageResult, t: Record<MessageKey, string>): string[] {
  return stage.endpoints.flatMap((e) =>
    e.errors.map((error) => {
      const { request: requestText, response: responseText } = httpSampleText(error.sample, t);
      return [
        `**${stage.name} · ${inline(e.name)}** — ${inline(errorLabel(error, t))} × ${error.count} ${t.occurrences}`,
        `${t.request}:\n\n${codeBlock(requestText, 'http')}`,
        responseText
          ? `${t.response}:\n\n${codeBlock(responseText, 'http')}`
          : `${t.response}: ${t.noResponse}`,
      ].join('\n\n');
    }),
  );
}
