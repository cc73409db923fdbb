import { readProcStat } from '../../stack/process-group.js';

/** The CPU one generator process used over its life: CPU-seconds and wall seconds. */
export interface ProcessCpu {
  cpuSeconds: number;
  wallSeconds: number;
}

/**
 * Follows a process's CPU time from /proc while it runs (its last reading before it exits is
 * kept: /proc forgets a process once it is reaped). A Locust process is one Python thread, so
 * `cpuSeconds / wallSeconds` near 1 means it was saturated and its timings include its own delay.
 */
export function watchProcessCpu(
  pid: number,
  options: { intervalMs?: number } = {},
): { stop: () => ProcessCpu } {
  const started = performance.now();
  const first = readProcStat(pid)?.cpuSeconds ?? 0;
  let last = first;
  const read = () => {
    const seconds = readProcStat(pid)?.cpuSeconds;
    if (seconds !== undefined) last = seconds;
  };
  const timer = setInterval(read, options.intervalMs ?? 250);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      read();
      return {
        cpuSeconds: last - first,
        wallSeconds: (performance.now() - started) / 1000,
      };
    },
  };
}
