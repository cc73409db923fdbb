import type { Metric } from '../config/limit.js';
import type { EndpointStats, StageName, StageResult } from '../model/run-result.js';

/**
 * The one lookup of a metric's value: which numbers a threshold reads (the stage, or with
 * `thresholds.exclude-ramp-up` the ramp's hold period) and how a metric is computed from them.
 * The gate, abort-on-fail, the action's outputs and the report's key numbers all read it, so the
 * outputs are the numbers the gate judged.
 */

/** A stage's statistics as thresholds read them. */
export interface MeasuredView {
  stage: StageName;
  /** True when these are the ramp's hold period (`exclude-ramp-up`), not the whole stage. */
  holdOnly: boolean;
  endpoints: EndpointStats[];
  total: EndpointStats;
}

/** What a metric is computed from: an endpoint's statistics, or the ramp's running totals. */
export type MetricSource = Pick<EndpointStats, 'requests' | 'failures' | 'rps' | 'latency'>;

/** A stage's numbers; the ramp's hold period with `exclude-ramp-up` when it made requests. */
export function stageView(stage: StageResult, excludeRampUp: boolean): MeasuredView {
  const hold =
    excludeRampUp && stage.hold && stage.hold.total.requests > 0 ? stage.hold : undefined;
  return {
    stage: stage.name,
    holdOnly: hold !== undefined,
    endpoints: (hold ?? stage).endpoints,
    total: (hold ?? stage).total,
  };
}

/**
 * The numbers that represent the run (global and endpoint thresholds, outputs): the ramp when it
 * carried load, else the smoke stage; undefined when neither ran.
 */
export function measuredView(
  stages: StageResult[],
  excludeRampUp: boolean,
): MeasuredView | undefined {
  const ramp = stages.find((s) => s.name === 'ramp');
  if (ramp && ramp.status !== 'skipped' && ramp.total.requests > 0) {
    return stageView(ramp, excludeRampUp);
  }
  const smoke = stages.find((s) => s.name === 'smoke');
  return smoke && stageView(smoke, excludeRampUp);
}

/** A metric's value in its unit (METRICS): percent rounded to 0.01, ms, requests per second. */
export function metricValue(metric: Metric, stats: MetricSource): number {
  switch (metric) {
    case 'failure-rate':
      return stats.requests === 0 ? 0 : round((stats.failures / stats.requests) * 100);
    case 'rps':
      return stats.rps;
    default:
      return stats.latency[metric];
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
