import { describe, expect, it } from 'vitest';
import type { StackEvidence } from '../../src/model/stack-evidence.js';
import type { Locale } from '../../src/report/messages.js';
import { createRedactor, redactDeep } from '../../src/report/redact.js';
import { renderHtml } from '../../src/report/render-html.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { endpoint, run, stage } from '../support/run-result.js';
import { configErrorReport, sampleReport } from '../support/sample-reports.js';

const HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & </pre>';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU';

const stack: StackEvidence = {
  command: 'docker compose up -d --wait',
  started: true,
  ready: true,
  logTail: ['api listening on :8000', '<b>not bold</b>'],
  resources: [
    { second: 1, cpuPercent: 40, rssMb: 120, processes: 3 },
    { second: 2, cpuPercent: 97.5, rssMb: 150.2, processes: 4 },
  ],
  services: [
    {
      service: 'api',
      container: 'shop-api-1',
      state: 'running',
      health: 'healthy',
      events: [],
      samples: [
        { second: 1, cpuPercent: 12, memoryMb: 100 },
        { second: 2, cpuPercent: 187.5, memoryMb: 512 },
      ],
      peakCpuPercent: 187.5,
      peakMemoryMb: 512,
      logTail: ['GET /items 500'],
    },
  ],
};

/** A ramp slower than its baseline, with failures, a timeline, containers and findings. */
function fullReport(locale: Locale = 'en') {
  const items = endpoint({
    name: 'GET /items',
    requests: 3000,
    failures: 30,
    statusCodes: { '200': 2970, '500': 30 },
    latency: { min: 1, max: 900, mean: 300, p50: 280, p90: 600, p95: 750, p99: 880 },
    errors: [
      {
        message: 'HTTP 500 <em>',
        status: 500,
        count: 30,
        sample: {
          request: {
            method: 'GET',
            url: 'http://127.0.0.1:8000/items',
            headers: { authorization: `Bearer ${JWT}` },
          },
          response: {
            status: 500,
            headers: { 'content-type': 'text/html' },
            body: HOSTILE,
            truncated: true,
          },
        },
      },
    ],
  });
  const timeline = Array.from({ length: 12 }, (_, i) => ({
    second: i + 1,
    users: Math.min(300, (i + 1) * 50),
    rps: 250,
    failuresPerSecond: i === 6 ? 30 : 0,
    p50: 280,
    p95: 750,
    p99: 880,
  }));
  const result = run([
    stage('smoke', [endpoint({ name: 'GET /items', requests: 3 })], {
      timeline: [{ second: 1, users: 1, rps: 3, failuresPerSecond: 0, p50: 18, p95: 40 }],
    }),
    stage('ramp', [items], { timeline }),
  ]);
  const baseline = run([
    stage('smoke', [endpoint({ name: 'GET /items', requests: 3 })]),
    stage('ramp', [endpoint({ name: 'GET /items', requests: 3000 })]),
  ]);
  const report = {
    ...sampleReport(result, locale, { stack, baseline }),
    reason: 'thresholds' as const,
  };
  // as the pipeline does before writing any report
  return redactDeep(report, createRedactor([]));
}

const render = (locale: Locale = 'en') => renderHtml(fullReport(locale), { locale });

/** The text of the element with this id, as a browser shows it (tags removed, entities decoded). */
function sectionText(html: string, id: string): string {
  const match = new RegExp(`<(section|header|footer) id="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(
    html,
  );
  return (match?.[2] ?? '')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('renderHtml', () => {
  it('is one page with every section of a full report', () => {
    const report = fullReport();
    expect(report.findings.length).toBeGreaterThan(0);
    const html = renderHtml(report, { locale: 'en' });
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    for (const id of [
      'verdict',
      'plan',
      'stages',
      'thresholds',
      'baseline',
      'charts',
      'endpoints',
      'findings',
      'errors',
      'resources',
      'logs',
      'environment',
    ]) {
      expect(html, id).toContain(` id="${id}"`);
    }
    expect(sectionText(html, 'verdict')).toContain(`loadgate: FAIL — ${report.headline}`);
    expect(sectionText(html, 'verdict')).toContain('Reason: thresholds');
    expect(sectionText(html, 'verdict')).toContain(
      `Most probable cause: ${report.findings[0]!.title.replace(/`/g, '')}`,
    );
    expect(html).toContain('<p id="baseline">Compared with the baseline <code>bbbbbbb</code>');
    expect(sectionText(html, 'thresholds')).toMatch(/regression: p95 · GET \/items/);
    expect(sectionText(html, 'stages')).toContain('ramp');
    expect(sectionText(html, 'endpoints')).toContain('GET /items');
    expect(sectionText(html, 'endpoints')).toContain('200×2970 500×30');
    expect(sectionText(html, 'resources')).toContain(
      'peak CPU (percent of one core): 97.5% · peak memory (RSS): 150.2 MiB · processes: 4',
    );
    expect(sectionText(html, 'resources')).toContain('api');
    expect(sectionText(html, 'logs')).toContain('GET /items 500');
    expect(sectionText(html, 'environment')).toContain('loadgate 0.1.0 · engine builtin');
  });

  it('draws users, throughput and p50/p95/p99 per stage, and CPU and memory of the stack', () => {
    const html = render();
    const titles = [...html.matchAll(/<svg [^>]*aria-label="([^"]*)"/g)].map((m) => m[1]);
    expect(titles).toEqual([
      'smoke: Users',
      'smoke: Requests and failures per second',
      'smoke: Response time',
      'ramp: Users',
      'ramp: Requests and failures per second',
      'ramp: Response time',
      'CPU (percent of one core)',
      'Memory (MiB)',
    ]);
    const series = [...html.matchAll(/data-series="([^"]*)"/g)].map((m) => m[1]);
    // the smoke's point carries no p99 (an older report): no p99 line for it
    expect(series.slice(0, 5)).toEqual(['Users', 'RPS', 'failures per second', 'p50', 'p95']);
    expect(series.slice(5, 11)).toEqual([
      'Users',
      'RPS',
      'failures per second',
      'p50',
      'p95',
      'p99',
    ]);
    expect(series.slice(11)).toEqual(['stack process group', 'api', 'stack process group', 'api']);
  });

  it('keeps response bodies, messages and logs as text, and shows the redacted sample', () => {
    const html = render();
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<em>');
    expect(html).not.toContain('<b>');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &lt;/pre&gt;\n… (truncated)',
    );
    expect(html).toContain('HTTP 500 &lt;em&gt; × 30 occurrences');
    expect(html).toContain('&lt;b&gt;not bold&lt;/b&gt;');
    expect(html).not.toContain(JWT);
    expect(html).toContain('GET http://127.0.0.1:8000/items\nauthorization: Bearer [REDACTED]');
  });

  it('loads nothing from elsewhere and runs no script', () => {
    const html = render();
    expect(html).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|@import|url\(/i);
    // addresses appear only as text (the target, the sample's URL), never as a resource
    expect(html).not.toMatch(/(src|href|xlink:href|action|srcset)\s*=\s*["']?[a-z]*:?\/\//i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('shows a multi-line headline (a config error) as its first line, then the rest as text', () => {
    const html = renderHtml(configErrorReport(), { locale: 'en' });
    expect(html).toContain('<h1>loadgate: FAIL — loadgate.yml: invalid config</h1>');
    expect(html).toContain('<pre>- `stak`: unknown key (did you mean `stack`?)</pre>');
    // the error is the headline: not said a second time
    expect(html).toContain('<p class="note">The run was cut short: results are partial.</p>');
  });

  it('speaks French when the report does', () => {
    const html = render('fr');
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="fr">')).toBe(true);
    expect(html).toContain('loadgate: ÉCHEC — ');
    expect(html).toContain('Raison\u00a0: <code>thresholds</code>');
    expect(html).toContain('aria-label="ramp: Temps de réponse"');
    expect(html).toContain('Comparé à la référence');
    expect(html).toContain('aria-label="Mémoire (Mio)"');
    expect(html).toContain('<th>moyenne (ms)</th>');
    expect(html).not.toContain('Response time');
  });
});

describe('renderMarkdown: the link to the full report', () => {
  const link = '[run 42](https://github.com/o/r/actions/runs/42)';

  it.each([
    ['en', "Full report: `loadgate-report.html` in the run's artifact [run 42]"],
    ['fr', "Rapport complet\u00a0: `loadgate-report.html` dans l'artefact du run [run 42]"],
  ] as const)('says where the HTML report is (%s)', (locale, line) => {
    const md = renderMarkdown(fullReport(), { locale, runLink: link });
    expect(md).toContain(`\n\n${line}(https://github.com/o/r/actions/runs/42).\n\n`);
    expect(md.match(/loadgate-report\.html/g)).toHaveLength(1);
  });

  it('says nothing of it when the report was not uploaded', () => {
    expect(renderMarkdown(fullReport(), { locale: 'en' })).not.toContain('loadgate-report.html');
  });
});
