import { formatDuration } from '../config/duration.js';
import { withinLimit, type Limit, type Metric } from '../config/limit.js';
import type { Config } from '../config/schema.js';
import type { RunningSnapshot } from '../engine/engine.js';
import { metricValue } from './measured.js';

/**
 * `thresholds.abort-on-fail`: once the ramp has run for `delay`, a global threshold breached by
 * the running totals stops it (saving CI minutes on a run that is lost). Returns the watcher the
 * engine calls once a second, or undefined when the option is off.
 */
export function abortWatcher(
  thresholds: Config['thresholds'],
): ((s: RunningSnapshot) => string | undefined) | undefined {
  const option = thresholds.abortOnFail;
  if (!option) return undefined;
  const limits = Object.entries(thresholds.global) as [Metric, Limit][];
  return (snapshot) => {
    if (snapshot.elapsedMs < option.delayMs || snapshot.requests === 0) return undefined;
    for (const [metric, limit] of limits) {
      if (metric === 'rps') continue; // throughput is still ramping up: judged at the end only
      const actual = metricValue(metric, snapshot);
      if (!withinLimit(actual, limit)) {
        return `aborted by thresholds.abort-on-fail after ${formatDuration(snapshot.elapsedMs)}: ${metric} ${actual}${limit.unit} breaks ${limit.text} (${snapshot.requests} requests so far)`;
      }
    }
    return undefined;
  };
}
