export type LimitOperator = '<' | '<=';
export type LimitUnit = '%' | 'ms';

/** A threshold limit as written in the config ("< 1%", "<= 500ms", "< 2s"). */
export interface Limit {
  op: LimitOperator;
  /** In `unit`: percent for rates, milliseconds for latencies. */
  value: number;
  unit: LimitUnit;
  text: string;
}

/** Parses a limit for a metric measured in `unit`; undefined when malformed. Seconds become ms. */
export function parseLimit(text: string, unit: LimitUnit): Limit | undefined {
  const match = /^\s*(<=|<)\s*(\d+(?:\.\d+)?)\s*(%|ms|s)\s*$/.exec(text);
  if (!match) return undefined;
  const [, op, number, written] = match as unknown as [string, LimitOperator, string, string];
  const value = Number(number);
  if (unit === '%') {
    if (written !== '%' || value > 100) return undefined;
    return { op, value, unit, text: text.trim() };
  }
  if (written === '%') return undefined;
  return { op, value: written === 's' ? value * 1000 : value, unit, text: text.trim() };
}

/** True when `actual` satisfies the limit. */
export function withinLimit(actual: number, limit: Limit): boolean {
  return limit.op === '<' ? actual < limit.value : actual <= limit.value;
}
