import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The last `lines` lines of a file (reads at most the last 64 KiB); [] when it does not exist. */
export function readLogTail(file: string, lines = 40): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
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
