import type { StageResult } from '../model/run-result.js';
import type { JsonReport } from './report-data.js';

/** The stage whose numbers represent the run: the ramp when it carried load, else the smoke. */
export function measuredStage(stages: StageResult[]): StageResult | undefined {
  const ramp = stages.find((s) => s.name === 'ramp');
  if (ramp && ramp.total.requests > 0) return ramp;
  return stages.find((s) => s.name === 'smoke');
}

/** p95 (ms), failure rate (%) and rps of the measured stage, for outputs and one-line summaries. */
export function keyNumbers(report: JsonReport): {
  p95Ms: number;
  failureRate: number;
  rps: number;
} {
  const stage = measuredStage(report.stages);
  if (!stage || stage.total.requests === 0) return { p95Ms: 0, failureRate: 0, rps: 0 };
  const { total } = stage;
  return {
    p95Ms: total.latency.p95,
    failureRate: Math.round((total.failures / total.requests) * 10000) / 100,
    rps: Math.round(total.rps * 10) / 10,
  };
}
