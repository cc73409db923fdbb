import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The last `lines` lines of a file (reads at most 64 KiB before `endOffset`, default the end);
 * [] when it does not exist. `endOffset` cuts what was written later (teardown) off.
 */
export function readLogTail(file: string, lines = 40, endOffset?: number): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = Math.min(fstatSync(fd).size, endOffset ?? Number.POSITIVE_INFINITY);
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, '');
    if (text === '') return [];
    const all = text.split('\n');
    if (length < size) all.shift(); // the first line is probably cut
    return all.slice(-lines);
  } finally {
    closeSync(fd);
  }
}

/** The size of a file now (0 when it does not exist): where the run's part of a log ends. */
export function logSize(file: string): number {
  try {
    const fd = openSync(file, 'r');
    try {
      return fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  } catch {
    return 0;
  }
}
