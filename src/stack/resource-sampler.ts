import type { ResourceSample } from '../model/stack-evidence.js';
import { livePidsInGroup, readProcStat } from './process-group.js';

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
  let previousAt = started;

  const sample = () => {
    const at = now();
    const current = new Map<number, number>();
    let cpuSeconds = 0;
    let rssBytes = 0;
    for (const pid of livePidsInGroup(pgid)) {
      const proc = readProcStat(pid);
      if (!proc) continue;
      current.set(pid, proc.cpuSeconds);
      cpuSeconds += proc.cpuSeconds - (previous.get(pid) ?? proc.cpuSeconds);
      rssBytes += proc.rssBytes;
    }
    const elapsedS = (at - previousAt) / 1000;
    if (previous.size > 0 && elapsedS > 0) {
      samples.push({
        second: Math.round((at - started) / 1000),
        cpuPercent: Math.round((cpuSeconds / elapsedS) * 1000) / 10,
        rssMb: Math.round((rssBytes / 1024 / 1024) * 10) / 10,
        processes: current.size,
      });
    }
    previous = current;
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
