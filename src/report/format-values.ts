import type { EndpointStats } from '../model/run-result.js';
import type { ThresholdResult } from '../model/verdict.js';
import type { MessageKey } from './messages.js';

/** Values as every report shows them, so the markdown and terminal reports read the same. */

/** A latency in ms: whole above 100 ms, one decimal below. */
export function latency(e: EndpointStats, key: keyof EndpointStats['latency']): string {
  const value = e.latency[key];
  return value >= 100 ? String(Math.round(value)) : String(Math.round(value * 10) / 10);
}

/** `part` as a percentage of `whole`, one decimal. */
export function pct(part: number, whole: number): string {
  return `${Math.round((part / whole) * 1000) / 10}%`;
}

/** Failures with their share: `3 (1.5%)`. */
export function failuresWithShare(e: EndpointStats): string {
  return `${e.failures}${e.requests ? ` (${pct(e.failures, e.requests)})` : ''}`;
}

/**
 * A threshold's name: `p95 (ramp) · GET /items`, `regression: p95`. `escape` makes the echoed
 * endpoint name safe for the output (markdown or terminal).
 */
export function thresholdLabel(
  th: ThresholdResult,
  t: Record<MessageKey, string>,
  escape: (text: string) => string,
): string {
  return `${th.kind === 'regression' ? `${t.regression}${t.colon} ` : ''}${th.metric}${th.stage ? ` (${th.stage})` : ''}${th.scope === 'global' ? '' : ` · ${escape(th.scope)}`}`;
}

/** A threshold's measured value: `750 ms`, or `n/a` when it could not be evaluated. */
export function actualValue(th: ThresholdResult, t: Record<MessageKey, string>): string {
  return th.actual === null ? t.notAvailable : `${th.actual} ${th.unit}`;
}

/**
 * Endpoints whose timings describe rejections rather than the service: every request failed,
 * or most did.
 */
export function rejectedEndpoints(endpoints: EndpointStats[]): {
  allFailed: EndpointStats[];
  mostFailed: EndpointStats[];
} {
  return {
    allFailed: endpoints.filter((e) => e.requests > 0 && e.failures === e.requests),
    mostFailed: endpoints.filter(
      (e) => e.requests > 0 && e.failures < e.requests && e.failures / e.requests > 0.5,
    ),
  };
}

/** "3 of 5 requests", "1 of 1 request": English agrees with the total. */
export function ofTotal(count: number, total: number, noun = 'requests'): string {
  return `${count} of ${total} ${total === 1 ? noun.replace(/s$/, '') : noun}`;
}
