import type { Config, Step } from '../config/schema.js';
import type { EndpointStats, RunResult, StageResult } from '../model/run-result.js';
import type { StackEvidence } from '../model/stack-evidence.js';
import type { GateResult } from '../model/verdict.js';

/** Everything a rule may read: plain data. */
export interface DiagnoseInput {
  config: Config;
  result?: RunResult;
  gate?: GateResult;
  stack?: StackEvidence;
}

/** An endpoint of a stage with the scenario step that produced it and where it sits. */
export interface EndpointView {
  stage: StageResult;
  stats: EndpointStats;
  step?: Step;
  /** Key path of the step in loadgate.yml, e.g. "scenario.setup[0]". */
  stepPath?: string;
}

/** Every endpoint that had requests, with its step, across stages that ran. */
export function endpointViews(input: DiagnoseInput): EndpointView[] {
  const steps: { step: Step; path: string }[] = [
    ...input.config.scenario.setup.map((step, i) => ({ step, path: `scenario.setup[${i}]` })),
    ...input.config.scenario.tasks.map((step, i) => ({ step, path: `scenario.tasks[${i}]` })),
  ];
  const views: EndpointView[] = [];
  for (const stage of input.result?.stages ?? []) {
    for (const stats of stage.endpoints) {
      if (stats.requests === 0) continue;
      const found = steps.find((s) => s.step.name === stats.name);
      views.push({ stage, stats, step: found?.step, stepPath: found?.path });
    }
  }
  return views;
}

export function countStatus(stats: EndpointStats, predicate: (status: number) => boolean): number {
  return Object.entries(stats.statusCodes).reduce(
    (sum, [status, count]) => (predicate(Number(status)) ? sum + count : sum),
    0,
  );
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${Math.round((part / whole) * 1000) / 10}%`;
}

/** A short, single-line excerpt of a response body for evidence. */
export function excerpt(body: string | undefined, max = 300): string {
  if (!body) return '(empty body)';
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export const LOGIN_PATH = /\/(token|login|signin|sign-in|auth|oauth|session)s?\b/i;
