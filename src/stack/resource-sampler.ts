import type { ResourceSample } from '../model/stack-evidence.js';
import {
  CLOCK_TICKS_PER_SECOND,
  livePidsInGroup,
  readProcStat,
  readSchedStat,
} from './process-group.js';

const PAGE_SIZE = 4096;

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
    let deltaTicks = 0;
    let busiestTicks = 0;
    let busiestDemandNs: number | undefined;
    let rssPages = 0;
    for (const pid of livePidsInGroup(pgid)) {
      const proc = readProcStat(pid);
      if (!proc) continue;
      current.set(pid, proc.cpuTicks);
      const ticks = proc.cpuTicks - (previous.get(pid) ?? proc.cpuTicks);
      deltaTicks += ticks;
      busiestTicks = Math.max(busiestTicks, ticks);
      const sched = readSchedStat(pid);
      if (sched) {
        const demand = sched.runNs + sched.waitNs;
        currentSched.set(pid, demand);
        const before = previousSched.get(pid);
        if (before !== undefined) busiestDemandNs = Math.max(busiestDemandNs ?? 0, demand - before);
      }
      rssPages += proc.rssPages;
    }
    const elapsedS = (at - previousAt) / 1000;
    if (previous.size > 0 && elapsedS > 0) {
      const percent = (ticks: number) =>
        Math.round((ticks / CLOCK_TICKS_PER_SECOND / elapsedS) * 1000) / 10;
      samples.push({
        second: Math.round((at - started) / 1000),
        cpuPercent: percent(deltaTicks),
        busiestProcessCpuPercent: percent(busiestTicks),
        ...(busiestDemandNs !== undefined
          ? {
              busiestThreadBusyPercent: Math.min(
                100,
                Math.round((busiestDemandNs / 1e9 / elapsedS) * 1000) / 10,
              ),
            }
          : {}),
        rssMb: Math.round(((rssPages * PAGE_SIZE) / 1024 / 1024) * 10) / 10,
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
