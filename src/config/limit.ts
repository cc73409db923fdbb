import type { ThresholdMetric } from '../model/verdict.js';

export type LimitOperator = '<' | '<=' | '>' | '>=';
export type LimitUnit = '%' | 'ms' | '/s';

/** The metrics a threshold can limit (the report's own list), and the unit each is measured in. */
export const METRICS = {
  'failure-rate': '%',
  p50: 'ms',
  p90: 'ms',
  p95: 'ms',
  p99: 'ms',
  mean: 'ms',
  max: 'ms',
  rps: '/s',
} as const satisfies Record<ThresholdMetric, LimitUnit>;

export type Metric = keyof typeof METRICS;

/** A threshold limit as written in the config ("< 1%", "<= 500ms", "< 2s", ">= 100/s"). */
export interface Limit {
  op: LimitOperator;
  /** In `unit`: percent for rates, milliseconds for latencies, requests per second for rps. */
  value: number;
  unit: LimitUnit;
  text: string;
}

/**
 * The k6 aggregations each metric accepts, k6's own names: `p(95)<500`, `med<100`, `avg<200`,
 * `rate<0.01`. Throughput has none: k6's `rate` means the failure rate here.
 */
const K6_AGGREGATIONS: Record<Metric, readonly string[]> = {
  'failure-rate': ['rate'],
  p50: ['p(50)', 'med'],
  p90: ['p(90)'],
  p95: ['p(95)'],
  p99: ['p(99)'],
  mean: ['avg'],
  max: ['max'],
  rps: [],
};

/** k6 aggregations loadgate has no threshold for, and why: refused by name. */
const K6_REFUSED: Record<string, string> = {
  min: "k6's min has no loadgate threshold (a fastest request says nothing about the service)",
  count: "k6's count has no loadgate threshold (use rps for throughput)",
};

/** What a limit on `metric` accepts, in loadgate's form and, where one exists, in k6's. */
export function expectedLimit(metric: Metric): string {
  const k6 = K6_AGGREGATIONS[metric];
  const unit = METRICS[metric];
  if (unit === '%')
    return 'expected a limit such as "< 1%" (operator < or <=, a percentage from 0 to 100) or k6\'s "rate<0.01" (a fraction from 0 to 1)';
  if (unit === '/s')
    return 'expected a minimum such as "> 100/s" (operator > or >=, requests per second)';
  const examples = k6.map((aggregation) => `"${aggregation}<500"`).join(' or ');
  return `expected a limit such as "< 500ms" or "<= 2s" (operator < or <=, unit ms or s) or k6's ${examples} (a bare number is ms)`;
}

/** The metric a k6 aggregation limits ("p(95)" → p95, "med" → p50), or why it has none. */
function k6Metric(aggregation: string): Metric | { refused: string } {
  const percentile = /^p\((\d+(?:\.\d+)?)\)$/.exec(aggregation);
  const measured = (Object.keys(K6_AGGREGATIONS) as Metric[]).flatMap((m) =>
    K6_AGGREGATIONS[m].filter((a) => a.startsWith('p(')),
  );
  for (const metric of Object.keys(K6_AGGREGATIONS) as Metric[]) {
    if (K6_AGGREGATIONS[metric].includes(percentile ? `p(${Number(percentile[1])})` : aggregation))
      return metric;
  }
  if (percentile)
    return { refused: `loadgate measures ${measured.join(', ')}, not ${aggregation}` };
  const loadgateName = /^p(\d+)$/.exec(aggregation);
  if (loadgateName) return { refused: `k6 writes ${aggregation} as p(${loadgateName[1]})` };
  return {
    refused:
      K6_REFUSED[aggregation] ??
      `${aggregation} is not a k6 aggregation loadgate knows (p(N), avg, med, max, rate)`,
  };
}

/**
 * Parses a limit on `metric`, written as loadgate does ("< 500ms", "< 1%", "> 100/s") or as k6
 * does ("p(95)<500", "avg<1s", "rate<0.01"). Seconds become ms; k6's rate becomes a percentage.
 * Rates and latencies take upper bounds (<, <=); throughput (rps) takes lower bounds (>, >=).
 * A malformed limit gives the message to show: what was expected, and why this one is not it.
 */
export function parseLimit(text: string, metric: Metric): Limit | { error: string } {
  const unit = METRICS[metric];
  const refuse = (why?: string) => ({
    error: why ? `${expectedLimit(metric)}: ${why}` : expectedLimit(metric),
  });
  const k6 =
    /^\s*([A-Za-z]\w*(?:\(\s*[\d.]+\s*\))?)\s*(<=|<|>=|>|===|==|!=)\s*(\d+(?:\.\d+)?)\s*(ms|s|%|\/s)?\s*$/.exec(
      text,
    );
  if (k6) return parseK6(k6, text.trim(), metric, refuse);
  const match = /^\s*(<=|<|>=|>)\s*(\d+(?:\.\d+)?)\s*(%|ms|s|\/s|rps)?\s*$/.exec(text);
  if (!match) return refuse();
  const [, op, number, written] = match as unknown as [
    string,
    LimitOperator,
    string,
    string | undefined,
  ];
  const value = Number(number);
  const upper = op === '<' || op === '<=';
  if (unit === '%') {
    return written === '%' && value <= 100 && upper
      ? { op, value, unit, text: text.trim() }
      : refuse();
  }
  if (unit === '/s') {
    return (written === '/s' || written === 'rps') && !upper
      ? { op, value, unit, text: text.trim() }
      : refuse();
  }
  if ((written !== 'ms' && written !== 's') || !upper) return refuse();
  return { op, value: written === 's' ? value * 1000 : value, unit, text: text.trim() };
}

function parseK6(
  [, written, op, number, suffix]: RegExpExecArray,
  text: string,
  metric: Metric,
  refuse: (why?: string) => { error: string },
): Limit | { error: string } {
  const aggregation = (written as string).replace(/\s+/g, '');
  const limits = k6Metric(aggregation);
  if (typeof limits !== 'string') return refuse(limits.refused);
  if (limits !== metric) {
    return refuse(
      limits === 'failure-rate'
        ? "k6's rate is the failure rate: write it under `failure-rate`"
        : `k6's ${aggregation} limits ${limits}: write it under \`${limits}\``,
    );
  }
  if (op !== '<' && op !== '<=') {
    return refuse(`${aggregation} takes an upper bound (< or <=), not ${op}`);
  }
  const value = Number(number);
  if (metric === 'failure-rate') {
    if (suffix !== undefined || value > 1)
      return refuse("k6's rate is a fraction from 0 to 1 (0.01 is 1%)");
    return { op, value: Math.round(value * 100 * 1e9) / 1e9, unit: '%', text };
  }
  if (suffix !== undefined && suffix !== 'ms' && suffix !== 's')
    return refuse(`a latency is in ms (a bare number) or s, not ${suffix}`);
  return { op, value: suffix === 's' ? value * 1000 : value, unit: 'ms', text };
}

/** True when `actual` satisfies the limit. */
export function withinLimit(actual: number, limit: Limit): boolean {
  switch (limit.op) {
    case '<':
      return actual < limit.value;
    case '<=':
      return actual <= limit.value;
    case '>':
      return actual > limit.value;
    case '>=':
      return actual >= limit.value;
  }
}
