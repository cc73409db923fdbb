import { describe, expect, it } from 'vitest';
import { lineChart, niceCeiling, xTicks } from '../../src/report/svg-chart.js';

const base = { title: 'ramp: p95', xUnit: 's', yUnit: 'ms', emptyText: 'no data' };

function paths(svg: string): string[] {
  return [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => m[1] as string);
}

function xLabels(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*text-anchor="middle"[^>]*>([^<]*)<\/text>/g)].map(
    (m) => m[1] as string,
  );
}

describe('lineChart', () => {
  it('draws one path per series in its explicit colour, with a legend entry each', () => {
    const svg = lineChart({
      ...base,
      x: [1, 2, 3],
      series: [
        { name: 'p50', colour: '#009E73', values: [10, 20, 30] },
        { name: 'p95', colour: '#0072B2', values: [40, 50, 60] },
      ],
    });
    expect(svg).toMatch(/^<svg class="chart" width="640" height="260" viewBox="0 0 640 260"/);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(paths(svg)).toHaveLength(2);
    expect(svg).toContain(
      'stroke="#009E73" stroke-width="2" stroke-linejoin="round" data-series="p50"',
    );
    expect(svg).toContain(
      'stroke="#0072B2" stroke-width="2" stroke-linejoin="round" data-series="p95"',
    );
    expect(svg).toMatch(/<rect [^>]*fill="#009E73"\/>\n<text [^>]*>p50<\/text>/);
    // the y axis tops at a round value above the highest point: 60 → 100 ms
    expect(svg).toContain('fill="#555">100</text>');
    expect(svg).toContain('class="y-unit">ms</text>');
    // first point at the left of the plot, last at its right; 40 ms at 40% of the plot's height
    expect(paths(svg)[1]).toBe('M56 142.4 L340 124 L624 105.6');
  });

  it('labels the x axis on at most ten round values, placing points by their x', () => {
    const x = Array.from({ length: 120 }, (_, i) => i + 1);
    const svg = lineChart({
      ...base,
      x,
      series: [{ name: 'users', colour: '#0072B2', values: x }],
    });
    expect(xLabels(svg)).toEqual(['20s', '40s', '60s', '80s', '100s', '120s']);
    // a gap in the seconds stays a gap: 1 s and 3 s at the ends, 2.5 s three quarters along
    const gap = lineChart({
      ...base,
      x: [1, 2.5, 3],
      series: [{ name: 'rps', colour: '#0072B2', values: [1, 1, 1] }],
    });
    expect(paths(gap)).toEqual(['M56 32 L482 32 L624 32']);
  });

  it('draws a single point as a dot, and no point as the empty text', () => {
    const one = lineChart({
      ...base,
      x: [1],
      series: [{ name: 'p95', colour: '#0072B2', values: [5] }],
    });
    expect(paths(one)).toEqual(['M340 32']);
    expect(one).toContain('<circle cx="340" cy="32" r="3.5" fill="#0072B2"/>');
    const none = lineChart({
      ...base,
      x: [],
      series: [{ name: 'p95', colour: '#0072B2', values: [] }],
    });
    expect(paths(none)).toEqual([]);
    expect(none).toContain('>no data</text>');
    expect(none).toContain('fill="#555">1</text>');
  });

  it('skips missing values (NaN) instead of drawing them at zero', () => {
    const svg = lineChart({
      ...base,
      x: [1, 2, 3],
      series: [{ name: 'p99', colour: '#D55E00', values: [Number.NaN, 10, 10] }],
    });
    expect(paths(svg)).toEqual(['M340 32 L624 32']);
  });

  it('escapes every text it is given', () => {
    const svg = lineChart({
      ...base,
      title: '<script>alert(1)</script>',
      x: [1],
      xUnit: '"><img>',
      series: [{ name: '<b>x</b>', colour: '"red', values: [1] }],
    });
    expect(svg).not.toMatch(/<script|<img|<b>/);
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('fill="&quot;red"');
  });
});

describe('chart scales', () => {
  it.each([
    [0, 1],
    [0.3, 0.5],
    [7, 10],
    [60, 100],
    [180, 200],
    [201, 250],
    [1200, 2000],
  ])('niceCeiling(%s) = %s', (value, expected) => {
    expect(niceCeiling(value)).toBe(expected);
  });

  it('xTicks: round, evenly spaced values within the range', () => {
    expect(xTicks([], 10)).toEqual([]);
    expect(xTicks([4], 10)).toEqual([4]);
    expect(xTicks([1, 2, 3], 10)).toEqual([1, 2, 3]);
    expect(xTicks([0.5, 1], 10)).toEqual([0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    expect(xTicks([1, 19], 10)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(xTicks([0, 300], 10)).toEqual([0, 50, 100, 150, 200, 250, 300]);
  });
});
