import { escapeHtml } from './html-safe.js';

export interface ChartSeries {
  name: string;
  /** An explicit colour (`#rrggbb`): never left to a palette the reader cannot see. */
  colour: string;
  values: number[];
}

export interface LineChartInput {
  title: string;
  /** The x value of each point (seconds), ascending: points are placed by value, not by rank. */
  x: number[];
  /** Appended to the x axis' labels ("s"). */
  xUnit: string;
  /** The y axis' unit, shown above its top value ("ms", "/s"). */
  yUnit: string;
  series: ChartSeries[];
  /** Shown instead of lines when there is no point to draw. */
  emptyText: string;
  width?: number;
  height?: number;
  maxXLabels?: number;
}

const MARGIN = { top: 32, right: 16, bottom: 44, left: 56 };
const Y_TICKS = 5;

/**
 * A line chart as a standalone SVG string: title, axes with a few y gridlines, x labels
 * thinned so they never overlap, one explicitly coloured line per series and a legend.
 * A single point is drawn as a dot; no point at all as `emptyText`. Pure, no script, no
 * external reference: the HTML report inlines it.
 */
export function lineChart(input: LineChartInput): string {
  const width = input.width ?? 640;
  const height = input.height ?? 260;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const points = input.x.length;
  const finite = input.series.flatMap((s) => s.values.filter(Number.isFinite));
  const yMax = niceCeiling(Math.max(0, ...finite));
  const xMin = Math.min(...input.x);
  const xMax = Math.max(...input.x);
  const xAt = (value: number) =>
    MARGIN.left + (xMax > xMin ? ((value - xMin) / (xMax - xMin)) * plotW : plotW / 2);
  const x = (i: number) => xAt(input.x[i] ?? xMin);
  const y = (v: number) => MARGIN.top + plotH - (v / yMax) * plotH;

  const parts: string[] = [
    `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(input.title)}">`,
    `<title>${escapeHtml(input.title)}</title>`,
    `<text x="${MARGIN.left}" y="18" class="chart-title" font-size="14" font-weight="600" fill="#222">${escapeHtml(input.title)}</text>`,
  ];
  // y gridlines and labels
  for (let i = 0; i <= Y_TICKS; i++) {
    const value = (yMax / Y_TICKS) * i;
    const yy = round(y(value));
    parts.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${yy}" y2="${yy}" stroke="${i === 0 ? '#888' : '#e3e3e3'}" stroke-width="1"/>`,
      `<text x="${MARGIN.left - 6}" y="${yy + 4}" text-anchor="end" font-size="11" fill="#555">${escapeHtml(formatNumber(value))}</text>`,
    );
  }
  if (input.yUnit) {
    parts.push(
      `<text x="${MARGIN.left - 6}" y="${MARGIN.top - 10}" text-anchor="end" font-size="11" fill="#555" class="y-unit">${escapeHtml(input.yUnit)}</text>`,
    );
  }
  parts.push(
    `<line x1="${MARGIN.left}" x2="${MARGIN.left}" y1="${MARGIN.top}" y2="${MARGIN.top + plotH}" stroke="#888" stroke-width="1"/>`,
  );
  // x labels on round values, never more than maxXLabels
  for (const value of xTicks(input.x, input.maxXLabels ?? 10)) {
    parts.push(
      `<text x="${round(xAt(value))}" y="${MARGIN.top + plotH + 16}" text-anchor="middle" font-size="11" fill="#555">${escapeHtml(`${formatNumber(value)}${input.xUnit}`)}</text>`,
    );
  }
  if (points === 0) {
    parts.push(
      `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH / 2}" text-anchor="middle" font-size="13" fill="#777">${escapeHtml(input.emptyText)}</text>`,
    );
  }
  for (const series of input.series) {
    const coords = series.values
      .map((v, i) => (Number.isFinite(v) ? [round(x(i)), round(y(v))] : undefined))
      .filter((c): c is number[] => c !== undefined);
    if (coords.length === 0) continue;
    const d = coords.map(([cx, cy], i) => `${i === 0 ? 'M' : 'L'}${cx} ${cy}`).join(' ');
    parts.push(
      `<path d="${d}" fill="none" stroke="${escapeHtml(series.colour)}" stroke-width="2" stroke-linejoin="round" data-series="${escapeHtml(series.name)}"/>`,
    );
    if (coords.length === 1) {
      const [cx, cy] = coords[0] as number[];
      parts.push(`<circle cx="${cx}" cy="${cy}" r="3.5" fill="${escapeHtml(series.colour)}"/>`);
    }
  }
  // legend, below the x labels
  let legendX = MARGIN.left;
  const legendY = height - 10;
  for (const series of input.series) {
    parts.push(
      `<rect x="${legendX}" y="${legendY - 9}" width="14" height="4" fill="${escapeHtml(series.colour)}"/>`,
      `<text x="${legendX + 18}" y="${legendY - 4}" font-size="11" fill="#333">${escapeHtml(series.name)}</text>`,
    );
    legendX += 28 + series.name.length * 7;
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * Where to label the x axis: at most `max` (≥ 2) round values, evenly spaced, within the
 * points' range (whole numbers when every x is one); the one value when all x are the same.
 */
export function xTicks(values: number[], max: number): number[] {
  if (values.length === 0) return [];
  const min = Math.min(...values);
  const top = Math.max(...values);
  if (top === min) return [min];
  // whole seconds are not split into fractions
  const whole = values.every(Number.isInteger) ? 1 : 0;
  const step = Math.max(whole, niceCeiling((top - min) / (Math.max(2, max) - 1)));
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / step) * step; tick <= top + step * 1e-9; tick += step) {
    ticks.push(Math.round(tick * 1e6) / 1e6);
  }
  return ticks;
}

/** 1, 2, 2.5 or 5 × 10^n at or above `value` (1 for 0), so gridlines fall on round numbers. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((m) => m * magnitude >= value) ?? 10;
  return step * magnitude;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100);
}
