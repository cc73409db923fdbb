import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildJsonReport } from '../../src/report/report-data.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { endpoint, run, stage } from '../support/run-result.js';

// Mermaid's own parser checks every chart loadgate writes; it needs a DOM to load in Node.
let parse: (text: string) => Promise<unknown>;
beforeAll(async () => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  const mermaid = (await import('mermaid')).default;
  parse = (text) => mermaid.parse(text);
}, 60_000);

function mermaidBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1] as string);
}

function reportWithTimeline() {
  const timeline = Array.from({ length: 65 }, (_, i) => ({
    second: i + 1,
    users: Math.min(300, (i + 1) * 50),
    rps: 400 + i * 3,
    failuresPerSecond: i % 7 === 0 ? 1 : 0,
    p50: 10 + i / 10,
    p95: 30 + i,
  }));
  const endpoints = [
    endpoint({ name: 'POST /token' }),
    endpoint({ name: 'GET /items/[id]' }),
    endpoint({ name: 'GET /search?q="x"`y`' }),
  ];
  const result = run([stage('smoke', endpoints), stage('ramp', endpoints, { timeline })]);
  return buildJsonReport({
    version: '0.1.0',
    generatedAt: new Date(0),
    target: 'http://127.0.0.1:8000',
    configDigest: 'abc',
    result,
    gate: {
      verdict: 'pass',
      headline: 'ok',
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

describe('charts', () => {
  it('draws users, requests/s and p95 over the ramp, and p95 per endpoint vs baseline, all valid Mermaid', async () => {
    const markdown = renderMarkdown(reportWithTimeline(), { locale: 'en' });
    const charts = mermaidBlocks(markdown);
    expect(charts).toHaveLength(3);
    expect(charts[0]).toContain('xychart-beta');
    expect(charts[0]).toContain('"65s/300u"');
    expect(charts[0]?.match(/x-axis \[(.*)\]/)?.[1]?.split(', ')).toHaveLength(30); // downsampled
    expect(charts[2]).toContain('line [45, 0, 0]');
    for (const chart of charts)
      await expect(parse(chart)).resolves.toMatchObject({ diagramType: 'xychart' });
    // each chart has its table fallback
    expect(markdown).toContain('| Second | Users | RPS | Failures/s | p50 (ms) | p95 (ms) |');
    expect(markdown).toContain('| Endpoint | p95 (ms) | Baseline (ms) |');
  });

  it('the parser really rejects a broken chart (so the check above can fail)', async () => {
    await expect(parse('xychart-beta\n  line [1, 2\n')).rejects.toThrow(/Parse error/);
  });
});
