import type { Config, Step } from '../config/schema.js';
import type { EndpointStats, ErrorGroup, RunResult, StageResult } from '../model/run-result.js';
import type { ResourceSample, StackEvidence } from '../model/stack-evidence.js';
import type { GateResult } from '../model/verdict.js';
import type { KnownConfigProblem } from '../shared/errors.js';
import { w, type FindingFacts, type Words } from '../report/finding-words/words.js';
import { stepOfSample } from './step-match.js';
import { clockTime, firstFailure, linesInWindow, type TimeWindow } from './windows.js';

/** Everything a rule may read: plain data. */
export interface DiagnoseInput {
  config?: Config;
  result?: RunResult;
  gate?: GateResult;
  stack?: StackEvidence;
  /** A config error that ended the run before anything booted, with its facts if known. */
  configError?: { message: string; problem?: KnownConfigProblem };
}

/** A rule reads the evidence and returns findings (usually zero or one). Pure. */
export type Rule = (input: DiagnoseInput) => FindingFacts[];

/** An endpoint of a stage with the scenario step that produced it and where it sits. */
export interface EndpointView {
  stage: StageResult;
  stats: EndpointStats;
  step?: Step;
  /** Key path of the step in loadgate.yml, e.g. "scenario.setup[0]". */
  stepPath?: string;
  /** True for a setup step (a login, usually). */
  setup: boolean;
  /** True when this is the ramp and the smoke stage had no failure: the problem needs load. */
  loadOnly: boolean;
}

/** Every endpoint that had requests, with its step, across stages that ran. */
export function endpointViews(input: DiagnoseInput): EndpointView[] {
  const scenario = input.config?.scenario;
  const steps: { step: Step; path: string; setup: boolean }[] = [
    ...(scenario?.setup ?? []).map((step, i) => ({
      step,
      path: `scenario.setup[${i}]`,
      setup: true,
    })),
    ...(scenario?.tasks ?? []).map((step, i) => ({
      step,
      path: `scenario.tasks[${i}]`,
      setup: false,
    })),
  ];
  const smoke = input.result?.stages.find((s) => s.name === 'smoke');
  const smokeClean = smoke !== undefined && smoke.total.requests > 0 && smoke.total.failures === 0;
  const views: EndpointView[] = [];
  for (const stage of input.result?.stages ?? []) {
    for (const stats of stage.endpoints) {
      if (stats.requests === 0) continue;
      // steps of one name share this line of statistics: the failure's sample tells which one
      const found = stepOfSample(
        steps.filter((s) => s.step.name === stats.name),
        stats.errors[0]?.sample,
      );
      views.push({
        stage,
        stats,
        step: found?.step,
        stepPath: found?.path,
        setup: found?.setup ?? false,
        loadOnly: stage.name === 'ramp' && smokeClean,
      });
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
  if (!body) return '';
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** The first response body among an endpoint's failures with a matching status. */
export function firstResponseBody(
  view: EndpointView,
  statuses: (status: number) => boolean,
): string | undefined {
  return view.stats.errors.find((e) => e.status !== undefined && statuses(e.status))?.sample
    .response?.body;
}

/**
 * The log lines of the run's window: the stack log's tail, then each compose service's
 * ("app | ..."). Teardown output is never among them. With a window, only the lines of that
 * window (those whose time cannot be told are kept).
 */
export function evidenceLogLines(input: DiagnoseInput, window?: TimeWindow): string[] {
  const within = (lines: string[], clock: boolean) =>
    window ? linesInWindow(lines, window, { clock }) : lines;
  return [
    ...within(input.stack?.logTail ?? [], false),
    ...(input.stack?.services ?? []).flatMap((s) =>
      within(s.logTail, true).map((line) => `${s.service} | ${line}`),
    ),
  ];
}

/** Log lines that look like errors, most recent last; with a window, only that window's. */
export function errorLogLines(input: DiagnoseInput, max = 5, window?: TimeWindow): string[] {
  return evidenceLogLines(input, window)
    .filter((line) => /error|exception|traceback|fatal|panic|refused/i.test(line))
    .slice(-max);
}

/** "the smoke stage passed: this only happens under load" evidence line. */
export function loadOnlyNote(view: EndpointView): Words[] {
  return view.loadOnly ? [w('common.load-only')] : [];
}

/**
 * When an endpoint's matching failures began under load: "the first 503 came in second 4 of
 * the ramp, with 12 users at 80 requests/s (19:22:05 UTC)". Only for the ramp: in the smoke
 * stage there is one user.
 */
export function failureOnsetNote(
  view: EndpointView,
  matches: (group: ErrorGroup) => boolean,
): Words[] {
  if (view.stage.name !== 'ramp') return [];
  const first = firstFailure(view.stage, view.stats.errors.filter(matches));
  if (!first) return [];
  const what = first.group.status !== undefined ? String(first.group.status) : first.group.message;
  const { point } = first;
  return [
    w('common.failure-onset', {
      what,
      second: first.second,
      users: point.users,
      rps: point.rps,
      clock: clockTime(first.atMs),
    }),
  ];
}

/** The window of an endpoint's matching failures: from the first one to the stage's end. */
export function failureWindow(
  view: EndpointView,
  matches: (group: ErrorGroup) => boolean,
): TimeWindow | undefined {
  const first = firstFailure(view.stage, view.stats.errors.filter(matches));
  return first
    ? { fromMs: first.atMs, toMs: Date.parse(view.stage.startedAt) + view.stage.durationMs }
    : undefined;
}

export const LOGIN_PATH = /\/(token|login|signin|sign-in|auth|oauth|session)s?\b/i;

/** A process at this share of one core or more is saturated: it cannot go faster. */
export const SATURATED_CPU_PERCENT = 85;

/** What the stack's CPU did during the run, as the capacity rules read it. */
export interface StackCpu {
  /** Peak CPU, percent of one core: the busiest compose service's, else the process group's. */
  percent: number;
  service?: string;
  /** Peak of the busiest single process of the group, when the sampler recorded it. */
  busiestProcess?: number;
  /**
   * Peak share of the time the busiest main thread was on a CPU or waiting for one, when the
   * kernel told it: what a saturated thread shows when the machine's other load keeps it from
   * a full core.
   */
  busiestThreadBusy?: number;
  /** Most processes the group had at once. */
  processes?: number;
  /**
   * Seconds (one-second samples) in which the stack was saturated: its busiest process (or,
   * not knowing it, the service or the group) at SATURATED_CPU_PERCENT of one core or more, or
   * its busiest main thread running or waiting for a CPU that share of the time.
   */
  saturatedSeconds: number;
}

/**
 * The stack's CPU: the busiest compose service's when there are services (the process group is
 * then only the compose CLI), else the process group's, with its busiest process.
 */
export function stackCpu(input: DiagnoseInput): StackCpu | undefined {
  // a sample that began before the stack was ready measured its start-up, not the load
  const readyMs = input.stack?.readyAfterMs ?? 0;
  const loaded = <T extends { second: number }>(samples: T[]) =>
    samples.filter((s) => (s.second - 1) * 1000 >= readyMs);
  const saturated = (percent: number) => percent >= SATURATED_CPU_PERCENT;
  const services = (input.stack?.services ?? [])
    .map((s) => ({ service: s.service, samples: loaded(s.samples) }))
    .filter((s) => s.samples.length > 0);
  if (services.length > 0) {
    const peak = (s: { samples: { cpuPercent: number }[] }) =>
      Math.max(...s.samples.map((x) => x.cpuPercent));
    const busiest = services.reduce((a, b) => (peak(b) > peak(a) ? b : a));
    return {
      percent: peak(busiest),
      service: busiest.service,
      saturatedSeconds: busiest.samples.filter((s) => saturated(s.cpuPercent)).length,
    };
  }
  const samples = loaded(input.stack?.resources ?? []);
  if (samples.length === 0) return undefined;
  // a sample taken when a process had just started has no figures of its own for it
  const perProcess = samples.some((s) => s.busiestProcessCpuPercent !== undefined);
  const perThread = samples.some((s) => s.busiestThreadBusyPercent !== undefined);
  const peakOf = (value: (s: ResourceSample) => number) => Math.max(...samples.map(value));
  return {
    percent: peakOf((s) => s.cpuPercent),
    ...(perProcess ? { busiestProcess: peakOf((s) => s.busiestProcessCpuPercent ?? 0) } : {}),
    ...(perThread ? { busiestThreadBusy: peakOf((s) => s.busiestThreadBusyPercent ?? 0) } : {}),
    processes: peakOf((s) => s.processes),
    saturatedSeconds: samples.filter(
      (s) =>
        saturated(s.busiestProcessCpuPercent ?? s.cpuPercent) ||
        saturated(s.busiestThreadBusyPercent ?? 0),
    ).length,
  };
}
