import { readdirSync, readFileSync } from 'node:fs';

/** What loadgate reads of /proc/<pid>/stat. */
export interface ProcStat {
  /** R, S, D, Z, ... */
  state: string;
  pgrp: number;
  /** utime + stime, in clock ticks (USER_HZ, 100 per second on Linux). */
  cpuTicks: number;
  rssPages: number;
}

export const CLOCK_TICKS_PER_SECOND = 100;

/** /proc/<pid>/stat, parsed; `undefined` when the process is gone (or no /proc). */
export function readProcStat(pid: number | string): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses; split after the last ')'.
    // From there, fields[0] is state (field 3), [2] pgrp (5), [11] utime (14), [12] stime
    // (15), [21] rss (24).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      state: fields[0] ?? '',
      pgrp: Number(fields[2]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      rssPages: Number(fields[21]),
    };
  } catch {
    return undefined; // the process ended while we looked
  }
}

/**
 * Nanoseconds the process's main thread spent on a CPU and waiting on a run queue for one
 * (/proc/<pid>/schedstat); `undefined` when the process is gone or the kernel does not say.
 */
export function readSchedStat(pid: number | string): { runNs: number; waitNs: number } | undefined {
  try {
    const [run, wait] = readFileSync(`/proc/${pid}/schedstat`, 'utf8').trim().split(' ');
    const runNs = Number(run);
    const waitNs = Number(wait);
    return Number.isFinite(runNs) && Number.isFinite(waitNs) ? { runNs, waitNs } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Live (non-zombie) processes of a process group. Reads /proc where it exists, because an
 * orphaned zombie still "exists" for kill(-pgid, 0) when no init reaps it.
 */
export function livePidsInGroup(pgid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return groupExists(pgid) ? [pgid] : [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(entry);
    if (stat && stat.state !== 'Z' && stat.pgrp === pgid) pids.push(Number(entry));
  }
  return pids;
}

function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends a signal to the whole group; false when nothing was left to signal. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
