import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';

/**
 * The text of a file's end: at most its last `bytes` before `endOffset` (default the end),
 * without the first line when it was cut. '' when the file does not exist.
 */
export function readFileEnd(file: string, bytes: number, endOffset?: number): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = Math.min(fstatSync(fd).size, endOffset ?? Number.POSITIVE_INFINITY);
    const length = Math.min(size, bytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const text = buffer.toString('utf8');
    return length < size ? text.slice(text.indexOf('\n') + 1) : text; // the first line is cut
  } finally {
    closeSync(fd);
  }
}

/**
 * The last `lines` lines of a file (reads at most 64 KiB before `endOffset`, default the end);
 * [] when it does not exist. `endOffset` cuts what was written later (teardown) off.
 */
export function readLogTail(file: string, lines = 40, endOffset?: number): string[] {
  const text = readFileEnd(file, 64 * 1024, endOffset)
    .replace(/\r\n/g, '\n')
    .replace(/\n$/, '');
  return text === '' ? [] : text.split('\n').slice(-lines);
}

/** The size of a file now (0 when it does not exist): where the run's part of a log ends. */
export function logSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
