import type { ResourceSample } from '../model/stack-evidence.js';
import { livePidsInGroup, readProcStat, readSchedStat } from './process-group.js';

/**
 * Samples CPU% and RSS of a process group from /proc every `intervalMs`. CPU of processes that
 * ended between samples is lost (as with `top`); good enough to see a saturated stack.
 */
export function startResourceSampler(
  pgid: number,
  options: { intervalMs?: number; now?: () => number } = {},
): { stop: () => ResourceSample[] } {
  const now = options.now ?? Date.now;
  const samples: ResourceSample[] = [];
  const started = now();
  let previous = new Map<number, number>();
  // main thread's on-CPU + run-queue time (ns) per pid, where the kernel tells it
  let previousSched = new Map<number, number>();
  let previousAt = started;

  const sample = () => {
    const at = now();
    const current = new Map<number, number>();
    const currentSched = new Map<number, number>();
    let cpuSeconds = 0;
    let busiestSeconds = 0;
    let busiestDemandNs: number | undefined;
    let rssBytes = 0;
    for (const pid of livePidsInGroup(pgid)) {
      const proc = readProcStat(pid);
      if (!proc) continue;
      current.set(pid, proc.cpuSeconds);
      const seconds = proc.cpuSeconds - (previous.get(pid) ?? proc.cpuSeconds);
      cpuSeconds += seconds;
      busiestSeconds = Math.max(busiestSeconds, seconds);
      const sched = readSchedStat(pid);
      if (sched) {
        const demand = sched.runNs + sched.waitNs;
        currentSched.set(pid, demand);
        const before = previousSched.get(pid);
        if (before !== undefined) busiestDemandNs = Math.max(busiestDemandNs ?? 0, demand - before);
      }
      rssBytes += proc.rssBytes;
    }
    const elapsedS = (at - previousAt) / 1000;
    if (previous.size > 0 && elapsedS > 0) {
      const percent = (seconds: number) => Math.round((seconds / elapsedS) * 1000) / 10;
      samples.push({
        second: Math.round((at - started) / 1000),
        cpuPercent: percent(cpuSeconds),
        busiestProcessCpuPercent: percent(busiestSeconds),
        ...(busiestDemandNs !== undefined
          ? { busiestThreadBusyPercent: Math.min(100, percent(busiestDemandNs / 1e9)) }
          : {}),
        rssMb: Math.round((rssBytes / 1024 / 1024) * 10) / 10,
        processes: current.size,
      });
    }
    previous = current;
    previousSched = currentSched;
    previousAt = at;
  };

  sample();
  const timer = setInterval(sample, options.intervalMs ?? 1000);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      return samples;
    },
  };
}
