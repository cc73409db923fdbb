import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TimelinePoint } from '../../src/model/run-result.js';
import { SERIES_PALETTE } from '../../src/report/chart-palette.js';
import { MAX_AXIS_LABELS } from '../../src/report/charts.js';
import { buildJsonReport } from '../../src/report/report-data.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { endpoint, run, stage } from '../support/run-result.js';

// Mermaid's own parser checks every chart loadgate writes; it needs a DOM to load in Node.
let parse: (text: string) => Promise<{ diagramType: string; config?: unknown }>;
beforeAll(async () => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  const mermaid = (await import('mermaid')).default;
  parse = (text) => mermaid.parse(text) as Promise<{ diagramType: string; config?: unknown }>;
}, 60_000);

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1] as string);
}

/** A ramp of `seconds` one-second points, reaching 300 users at 50 users/s. */
function timeline(seconds: number, failures = (i: number) => (i % 7 === 0 ? 1 : 0)) {
  return Array.from({ length: seconds }, (_, i): TimelinePoint => ({
    second: i + 1,
    users: Math.min(300, (i + 1) * 50),
    rps: 400 + i * 3,
    failuresPerSecond: failures(i),
    p50: 10 + i / 10,
    p95: 30 + i,
    p99: 60 + i,
  }));
}

function reportWithTimeline(points: TimelinePoint[] = timeline(65)) {
  const endpoints = [
    endpoint({ name: 'POST /token' }),
    endpoint({ name: 'GET /items/[id]' }),
    endpoint({ name: 'GET /search?q="x"`y`' }),
  ];
  const result = run([stage('smoke', endpoints), stage('ramp', endpoints, { timeline: points })]);
  return buildJsonReport({
    version: '0.1.0',
    generatedAt: new Date(0),
    target: 'http://127.0.0.1:8000',
    configDigest: 'abc',
    result,
    gate: {
      verdict: 'pass',
      headlineFact: { kind: 'passed' as const, checks: 1 },
      smokeFailed: false,
      regressions: 0,
      thresholds: [
        {
          kind: 'regression',
          metric: 'p95',
          scope: 'POST /token',
          limit: '+15% and +5ms',
          actual: 50,
          unit: 'ms',
          baseline: 45,
          delta: 5,
          status: 'pass',
        },
      ],
    },
    findings: [],
    plan: [],
  });
}

function chartsOf(points: TimelinePoint[], locale: 'en' | 'fr' = 'en') {
  return mermaidBlocks(renderMarkdown(reportWithTimeline(points), { locale }));
}

const xLabels = (chart: string) =>
  JSON.parse(`[${chart.match(/x-axis \[(.*)\]/)?.[1] ?? ''}]`) as string[];
const palette = (chart: string) =>
  chart.match(/"plotColorPalette": "([^"]*)"/)?.[1]?.split(', ') ?? [];
const plots = (chart: string) => [...chart.matchAll(/^ {2}(line|bar) \[/gm)].map((m) => m[1]);

describe('charts', () => {
  it('draws requests/s, p50/p95/p99, failures/s over the ramp and p95 per endpoint vs baseline, all valid Mermaid', async () => {
    const markdown = renderMarkdown(reportWithTimeline(), { locale: 'en' });
    const charts = mermaidBlocks(markdown);
    expect(charts).toHaveLength(4);
    expect(charts.map((c) => c.match(/title "(.*)"/)?.[1])).toEqual([
      'ramp: requests per second',
      'ramp: latency (ms), p50 green, p95 orange, p99 purple',
      'ramp: failures per second',
      'p95 per endpoint (bars: this run, line: baseline)',
    ]);
    expect(xLabels(charts[0] as string)).toHaveLength(30); // downsampled
    expect(xLabels(charts[0] as string).at(-1)).toBe('65s/300u');
    expect(charts[3]).toContain('line [45, 0, 0]');
    for (const chart of charts)
      await expect(parse(chart)).resolves.toMatchObject({ diagramType: 'xychart' });
    // each chart has its table fallback
    expect(markdown).toContain(
      '| Second | Users | RPS | Failures/s | p50 (ms) | p95 (ms) | p99 (ms) |',
    );
    expect(markdown).toContain('| 65 | 300 | 592 | 0 | 16.4 | 94 | 124 |');
    expect(markdown).toContain('| Endpoint | p95 (ms) | Baseline (ms) |');
  });

  it('gives each series its own colour from the one palette, in the order the series are drawn', async () => {
    const charts = chartsOf(timeline(65));
    const { rps, p50, p95, p99, failures, baseline } = SERIES_PALETTE;
    expect(charts.map(palette)).toEqual([
      [rps.colour],
      [p50.colour, p95.colour, p99.colour],
      [failures.colour],
      [p95.colour, baseline.colour],
    ]);
    expect(charts.map(plots)).toEqual([
      ['bar'],
      ['line', 'line', 'line'],
      ['bar'],
      ['bar', 'line'],
    ]);
    // the latency lines are p50, p95 then p99: at 65s, 16.4 / 94 / 124 ms
    expect(
      charts[1]?.match(/^ {2}line \[.*, ([\d.]+)\]$/gm)?.map((l) => l.split(', ').at(-1)),
    ).toEqual(['16.4]', '94]', '124]']);
    // Mermaid reads the palette from the chart's own init directive
    await expect(parse(charts[1] as string)).resolves.toMatchObject({
      config: {
        themeVariables: {
          xyChart: { plotColorPalette: `${p50.colour}, ${p95.colour}, ${p99.colour}` },
        },
      },
    });
    // every colour is distinct, so no two metrics can be confused
    const colours = Object.values(SERIES_PALETTE).map((s) => s.colour);
    expect(new Set(colours).size).toBe(colours.length);
  });

  it.each([
    [5, ['1s/50u', '2s/100u', '3s/150u', '4s/200u', '5s/250u'], 1],
    [
      60,
      [
        '6s/300u',
        '12s/300u',
        '18s/300u',
        '24s/300u',
        '30s/300u',
        '36s/300u',
        '42s/300u',
        '48s/300u',
        '54s/300u',
        '60s/300u',
      ],
      3,
    ],
    [
      600,
      [
        '60s/300u',
        '120s/300u',
        '180s/300u',
        '240s/300u',
        '300s/300u',
        '360s/300u',
        '420s/300u',
        '480s/300u',
        '540s/300u',
        '600s/300u',
      ],
      3,
    ],
  ])(
    'a %is ramp shows at most 10 time labels, evenly spread and ending on the last point',
    async (seconds, visible, every) => {
      const charts = chartsOf(timeline(seconds));
      for (const chart of charts.slice(0, 3)) {
        const labels = xLabels(chart);
        expect(labels).toHaveLength(Math.min(seconds, 30));
        const shown = labels.flatMap((l, i) => (/^[\u200b\u200c]+$/.test(l) ? [] : [i]));
        expect(shown.length).toBeLessThanOrEqual(MAX_AXIS_LABELS);
        expect(shown.map((i) => labels[i])).toEqual(visible);
        expect(shown.at(-1)).toBe(labels.length - 1);
        expect(shown.slice(1).map((i, k) => i - (shown[k] as number))).toEqual(
          Array(shown.length - 1).fill(every),
        );
        // hidden labels are distinct, or Mermaid would merge their points into one
        expect(new Set(labels).size).toBe(labels.length);
        await expect(parse(chart)).resolves.toMatchObject({ diagramType: 'xychart' });
      }
    },
  );

  it('a run without failures has no failures chart (the table still shows 0 failures/s)', () => {
    const markdown = renderMarkdown(reportWithTimeline(timeline(20, () => 0)), { locale: 'en' });
    const titles = mermaidBlocks(markdown).map((c) => c.match(/title "(.*)"/)?.[1]);
    expect(titles).toEqual([
      'ramp: requests per second',
      'ramp: latency (ms), p50 green, p95 orange, p99 purple',
      'p95 per endpoint (bars: this run, line: baseline)',
    ]);
    expect(markdown).toContain('| 20 | 300 | 457 | 0 | 11.9 | 49 | 79 |');
  });

  it('names the series in French in a French report', () => {
    const titles = chartsOf(timeline(20), 'fr').map((c) => c.match(/title "(.*)"/)?.[1]);
    expect(titles.slice(0, 3)).toEqual([
      'ramp: requêtes par seconde',
      'ramp: latence (ms), p50 vert, p95 orange, p99 violet',
      'ramp: échecs par seconde',
    ]);
  });

  it('a report written before p99 was recorded per second draws p50 and p95 only', async () => {
    const old = timeline(20).map(({ p99: _, ...point }) => point);
    const latency = chartsOf(old)[1] as string;
    expect(latency).toContain('title "ramp: latency (ms), p50 green, p95 orange"');
    expect(plots(latency)).toEqual(['line', 'line']);
    await expect(parse(latency)).resolves.toMatchObject({ diagramType: 'xychart' });
  });

  it('the parser really rejects a broken chart (so the check above can fail)', async () => {
    await expect(parse('xychart-beta\n  line [1, 2\n')).rejects.toThrow(/Parse error/);
  });
});
