import { measuredView, metricValue } from '../gate/measured.js';
import type { JsonReport } from './report-data.js';

/**
 * p95 (ms), failure rate (%) and rps of the measured stage, for outputs and one-line summaries:
 * the numbers the gate judged (the ramp's hold period when the run had `exclude-ramp-up`).
 */
export function keyNumbers(report: JsonReport): {
  p95Ms: number;
  failureRate: number;
  rps: number;
} {
  const view = measuredView(report.stages, report.excludeRampUp ?? false);
  if (!view || view.total.requests === 0) return { p95Ms: 0, failureRate: 0, rps: 0 };
  return {
    p95Ms: metricValue('p95', view.total),
    failureRate: metricValue('failure-rate', view.total),
    rps: metricValue('rps', view.total),
  };
}
