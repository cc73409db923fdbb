import { readdirSync, readFileSync } from 'node:fs';
import { systemUnits } from './system-units.js';

/** What loadgate reads of /proc/<pid>/stat. */
export interface ProcStat {
  /** R, S, D, Z, ... */
  state: string;
  pgrp: number;
  /** utime + stime, in seconds (the kernel counts clock ticks of the system's USER_HZ). */
  cpuSeconds: number;
  /** Resident set size, in bytes (the kernel counts pages of the system's page size). */
  rssBytes: number;
}

/** /proc/<pid>/stat, parsed; `undefined` when the process is gone (or no /proc). */
export function readProcStat(pid: number | string): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses; split after the last ')'.
    // From there, fields[0] is state (field 3), [2] pgrp (5), [11] utime (14), [12] stime
    // (15), [21] rss (24).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const { clockTicksPerSecond, pageSize } = systemUnits();
    return {
      state: fields[0] ?? '',
      pgrp: Number(fields[2]),
      cpuSeconds: (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond,
      rssBytes: Number(fields[21]) * pageSize,
    };
  } catch {
    return undefined; // the process ended while we looked
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
