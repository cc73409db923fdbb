export type LimitOperator = '<' | '<=' | '>' | '>=';
export type LimitUnit = '%' | 'ms' | '/s';

/** The metrics a threshold can limit, and the unit each is measured in. */
export const METRICS = {
  'failure-rate': '%',
  p50: 'ms',
  p90: 'ms',
  p95: 'ms',
  p99: 'ms',
  mean: 'ms',
  max: 'ms',
  rps: '/s',
} as const satisfies Record<string, LimitUnit>;

export type Metric = keyof typeof METRICS;

/** A threshold limit as written in the config ("< 1%", "<= 500ms", "< 2s", ">= 100/s"). */
export interface Limit {
  op: LimitOperator;
  /** In `unit`: percent for rates, milliseconds for latencies, requests per second for rps. */
  value: number;
  unit: LimitUnit;
  text: string;
}

export function expectedLimit(unit: LimitUnit): string {
  if (unit === '%')
    return 'expected a limit such as "< 1%" (operator < or <=, a percentage from 0 to 100)';
  if (unit === '/s')
    return 'expected a minimum such as "> 100/s" (operator > or >=, requests per second)';
  return 'expected a limit such as "< 500ms" or "<= 2s" (operator < or <=, unit ms or s)';
}

/**
 * Parses a limit for a metric measured in `unit`; undefined when malformed. Seconds become ms.
 * Rates and latencies take upper bounds (<, <=); throughput (rps) takes lower bounds (>, >=).
 */
export function parseLimit(text: string, unit: LimitUnit): Limit | undefined {
  const match = /^\s*(<=|<|>=|>)\s*(\d+(?:\.\d+)?)\s*(%|ms|s|\/s|rps)?\s*$/.exec(text);
  if (!match) return undefined;
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
      : undefined;
  }
  if (unit === '/s') {
    return (written === '/s' || written === 'rps') && !upper
      ? { op, value, unit, text: text.trim() }
      : undefined;
  }
  if ((written !== 'ms' && written !== 's') || !upper) return undefined;
  return { op, value: written === 's' ? value * 1000 : value, unit, text: text.trim() };
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
