import type { ErrorGroup, StageResult, TimelinePoint } from '../model/run-result.js';

/** A span of wall-clock time, ms since the epoch. */
export interface TimeWindow {
  fromMs: number;
  toMs?: number;
}

/** When the one-second bucket `index` of a stage began (ms since the epoch). */
export function bucketStartMs(stage: StageResult, index: number): number {
  return Date.parse(stage.startedAt) + index * 1000;
}

/** "19:22:05" (UTC) of a time. */
export function clockTime(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** Where the first of some failures fell on the stage's timeline. */
export interface FirstFailure {
  group: ErrorGroup;
  /** 1-based second of the stage, and the timeline's point for it. */
  second: number;
  point: TimelinePoint;
  atMs: number;
}

/** The earliest of the groups on the stage's timeline; undefined when none is placed. */
export function firstFailure(stage: StageResult, groups: ErrorGroup[]): FirstFailure | undefined {
  const placed = groups
    .filter((g) => g.firstSecond !== undefined && stage.timeline[g.firstSecond] !== undefined)
    .sort((a, b) => (a.firstSecond as number) - (b.firstSecond as number));
  const group = placed[0];
  if (!group) return undefined;
  const index = group.firstSecond as number;
  return {
    group,
    second: index + 1,
    point: stage.timeline[index] as TimelinePoint,
    atMs: bucketStartMs(stage, index),
  };
}

/** The trailing seconds of a stage in which most requests failed, against the whole stage. */
export interface EndBurst {
  /** 1-based first second of the burst, its users then, and its length in seconds. */
  fromSecond: number;
  users: number;
  seconds: number;
  requests: number;
  failures: number;
  /** The stage's requests and failures before the burst. */
  before: { requests: number; failures: number };
  window: TimeWindow;
}

/** Share of a second's requests that failed for it to belong to an end burst. */
const BURST_FAILURE_SHARE = 0.5;

/**
 * A collapse: the stage's last seconds (two or more) failed mostly while the seconds before
 * were mostly fine — what a whole-stage failure rate averages away. Seconds with no request
 * at the very end (users stopped, the grace period) are skipped. Pure.
 */
export function endBurst(stage: StageResult): EndBurst | undefined {
  const points = stage.timeline;
  let end = points.length;
  while (end > 0 && (points[end - 1] as TimelinePoint).rps === 0) end--;
  let start = end;
  while (start > 0) {
    const p = points[start - 1] as TimelinePoint;
    if (p.rps === 0 || p.failuresPerSecond < BURST_FAILURE_SHARE * p.rps) break;
    start--;
  }
  if (end - start < 2 || start === 0) return undefined;
  const sum = (list: TimelinePoint[], key: 'rps' | 'failuresPerSecond') =>
    list.reduce((n, p) => n + p[key], 0);
  const burst = points.slice(start, end);
  const earlier = points.slice(0, start);
  const before = { requests: sum(earlier, 'rps'), failures: sum(earlier, 'failuresPerSecond') };
  // the seconds before must have been mostly fine: else the whole stage failed, no collapse
  if (before.requests === 0 || before.failures > 0.2 * before.requests) return undefined;
  return {
    fromSecond: start + 1,
    users: (burst[0] as TimelinePoint).users,
    seconds: burst.length,
    requests: sum(burst, 'rps'),
    failures: sum(burst, 'failuresPerSecond'),
    before,
    window: { fromMs: bucketStartMs(stage, start), toMs: bucketStartMs(stage, end) },
  };
}

/**
 * A log line's time when it starts with one: ISO with a zone, or — `clock`, a container's log,
 * which docker stamps in UTC — "HH:MM:SS.mmm".
 */
function lineTimeMs(line: string, nearMs: number, clock: boolean): number | undefined {
  const iso = /^\[?(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d))/.exec(line);
  if (iso) return Date.parse(iso[1] as string);
  const time = clock ? /^(\d\d):(\d\d):(\d\d)(\.\d+)?\s/.exec(line) : null;
  if (!time) return undefined;
  const day = new Date(nearMs);
  const ms = Date.UTC(
    day.getUTCFullYear(),
    day.getUTCMonth(),
    day.getUTCDate(),
    Number(time[1]),
    Number(time[2]),
    Number(time[3]),
    Math.round(Number(time[4] ?? 0) * 1000),
  );
  // the nearest such time: a run across midnight
  const DAY = 86_400_000;
  return ms - nearMs > DAY / 2 ? ms - DAY : nearMs - ms > DAY / 2 ? ms + DAY : ms;
}

/**
 * The lines of a log that belong to a window: a timed line by its time (one second of slack
 * either side), an untimed one (a traceback's continuation) with the timed line before it.
 * Lines before the first timed one cannot be placed and are kept. Pure.
 */
export function linesInWindow(
  lines: string[],
  window: TimeWindow,
  options: { clock?: boolean } = {},
): string[] {
  const from = window.fromMs - 1000;
  const to = window.toMs === undefined ? Infinity : window.toMs + 1000;
  let inside = true;
  return lines.filter((line) => {
    const at = lineTimeMs(line, window.fromMs, options.clock ?? false);
    if (at !== undefined) inside = at >= from && at <= to;
    return inside;
  });
}
