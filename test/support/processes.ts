import { readdirSync, readFileSync } from 'node:fs';

/** Live processes whose command line contains `needle` (read from /proc; zombies excluded). */
export function processesMatching(needle: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      if (state !== 'Z' && cmdline.includes(needle)) found.push(`${entry}: ${cmdline}`);
    } catch {
      // gone
    }
  }
  return found;
}

/**
 * Live processes whose environment holds NAME=value: the stack's processes, children and
 * grandchildren included, carry the `stack.env` of their test (unlike their command lines).
 */
export function processesWithEnv(name: string, value: string): string[] {
  const needle = `${name}=${value}`;
  const found: string[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') continue;
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(needle))
        found.push(entry);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}
