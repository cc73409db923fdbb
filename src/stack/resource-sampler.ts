import { readFileSync } from 'node:fs';
import type { ResourceSample } from '../model/stack-evidence.js';
import { livePidsInGroup } from './process-group.js';

const CLOCK_TICKS = 100; // USER_HZ on Linux
const PAGE_SIZE = 4096;

interface ProcTimes {
  ticks: number;
  rssPages: number;
}

function readProc(pid: number): ProcTimes | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is state (field 3); utime and stime are fields 14 and 15; rss is field 24.
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const rss = Number(fields[21]);
    return { ticks: utime + stime, rssPages: rss };
  } catch {
    return undefined;
  }
}

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
    let deltaTicks = 0;
    let rssPages = 0;
    for (const pid of livePidsInGroup(pgid)) {
      const proc = readProc(pid);
      if (!proc) continue;
      current.set(pid, proc.ticks);
      deltaTicks += proc.ticks - (previous.get(pid) ?? proc.ticks);
      rssPages += proc.rssPages;
    }
    const elapsedS = (at - previousAt) / 1000;
    if (previous.size > 0 && elapsedS > 0) {
      samples.push({
        second: Math.round((at - started) / 1000),
        cpuPercent: Math.round((deltaTicks / CLOCK_TICKS / elapsedS) * 1000) / 10,
        rssMb: Math.round(((rssPages * PAGE_SIZE) / 1024 / 1024) * 10) / 10,
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
