import type { TimelinePoint } from '../model/run-result.js';

/** Where a ramp's throughput stopped growing with its users, read from its timeline. */
export interface Knee {
  /** Users and requests/s of the first second that reached the plateau. */
  kneeUsers: number;
  kneeRps: number;
  /** Seconds since the start of the stage of that point. */
  kneeSecond: number;
  /** The plateau's throughput (the median second of the second half) and the most users. */
  peakRps: number;
  maxUsers: number;
  /** p95 per second: the best of the first half, the median of the last third. */
  p95Early: number;
  p95Late: number;
  /** p50 per second at low load (the best of the first half): about one request's service time. */
  p50Early: number;
  /** The most users whose second met the p95 limit, when a limit is given. */
  capacityUsers?: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The textbook knee: users keep growing, throughput stops, latency climbs. Per-second points
 * are noisy on a shared runner (a GC pause or a busy neighbour makes one second slow, a
 * catch-up makes one second fast), so no single point decides: the plateau's throughput is the
 * median of the second half, the knee the first second within 80% of it, the early latency the
 * best second of the first half, the late one the median of the last third. A plateau needs the
 * users to grow well past the knee while the throughput per user falls (with throughput still
 * growing in step with the users, there is none). Pure.
 */
export function findKnee(timeline: TimelinePoint[], p95LimitMs?: number): Knee | undefined {
  const points = timeline.filter((p) => p.rps > 0 && p.users > 0);
  if (points.length < 4) return undefined;
  const firstHalf = points.slice(0, Math.ceil(points.length / 2));
  const secondHalf = points.slice(-Math.ceil(points.length / 2));
  const lastThird = points.slice(-Math.max(1, Math.floor(points.length / 3)));
  const p95Early = Math.min(...firstHalf.map((p) => p.p95));
  const p95Late = Math.round(median(lastThird.map((p) => p.p95)) * 100) / 100;
  const p50Early = Math.min(...firstHalf.map((p) => p.p50));
  const peakRps = Math.round(median(secondHalf.map((p) => p.rps)));
  const knee = points.find((p) => p.rps >= 0.8 * peakRps) as TimelinePoint;
  const maxUsers = Math.max(...points.map((p) => p.users));
  const latencyGrew = p95Late >= 2 * Math.max(p95Early, 0.5);
  const perUserFell = peakRps / maxUsers <= 0.7 * (knee.rps / knee.users);
  const plateau = knee.users <= 0.75 * maxUsers && perUserFell;
  if (!latencyGrew || !plateau) return undefined;
  const within = p95LimitMs === undefined ? [] : points.filter((p) => p.p95 < p95LimitMs);
  return {
    kneeUsers: knee.users,
    kneeRps: knee.rps,
    kneeSecond: knee.second,
    peakRps,
    maxUsers,
    p95Early,
    p95Late,
    p50Early,
    ...(within.length > 0 ? { capacityUsers: Math.max(...within.map((p) => p.users)) } : {}),
  };
}

/**
 * About how many requests the API serves at once on a plateau (Little's law: throughput × the
 * time one request takes alone); 1 means one at a time (a single worker, a lock).
 */
export function servedAtOnce(peakRps: number, serviceTimeMs: number): number {
  return Math.max(1, Math.round((peakRps * serviceTimeMs) / 1000));
}
