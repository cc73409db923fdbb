import { withinLimit, type Limit, type Metric } from '../config/limit.js';
import type { Config } from '../config/schema.js';
import type { RunningSnapshot } from '../engine/engine.js';
import type { StageReasonFact } from '../model/run-result.js';
import { metricValue } from './measured.js';

/**
 * `thresholds.abort-on-fail`: once the ramp has run for `delay`, a global threshold breached by
 * the running totals stops it (saving CI minutes on a run that is lost). Returns the watcher the
 * engine calls once a second (it returns why, as facts), or undefined when the option is off.
 */
export function abortWatcher(
  thresholds: Config['thresholds'],
): ((s: RunningSnapshot) => StageReasonFact | undefined) | undefined {
  const option = thresholds.abortOnFail;
  if (!option) return undefined;
  const limits = Object.entries(thresholds.global) as [Metric, Limit][];
  return (snapshot) => {
    if (snapshot.elapsedMs < option.delayMs || snapshot.requests === 0) return undefined;
    for (const [metric, limit] of limits) {
      if (metric === 'rps') continue; // throughput is still ramping up: judged at the end only
      const actual = metricValue(metric, snapshot);
      if (!withinLimit(actual, limit)) {
        return {
          kind: 'abort-on-fail',
          elapsedMs: snapshot.elapsedMs,
          metric,
          actual,
          unit: limit.unit,
          limit: limit.text,
          requests: snapshot.requests,
        };
      }
    }
    return undefined;
  };
}
