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
 * The last `lines` lines of a file (reads at most 64 KiB before `endOffset`, default the end),
 * colours stripped and stack frames left out (`withoutStackFrames`); [] when it does not exist.
 * `endOffset` cuts what was written later (teardown) off.
 */
export function readLogTail(file: string, lines = 40, endOffset?: number): string[] {
  const text = readFileEnd(file, 64 * 1024, endOffset)
    .replace(/\r\n/g, '\n')
    .replace(ANSI, '')
    .replace(/\n$/, '');
  return text === '' ? [] : withoutStackFrames(text.split('\n')).slice(-lines);
}

/** Terminal colours and styles (NestJS colours its log even into a file). */
// eslint-disable-next-line no-control-regex -- the escape character is what is matched
const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * A stack frame of Node, Java, Ruby or PHP: what explains a failure is the exception's line
 * ("TypeError: …", "SQLite3::BusyException - database is locked"), not its 50 frames, which
 * would push it out of the log's tail.
 */
const FRAME =
  /^\s+at\s|^\s*\.\.\. \d+ (more|lines matching)|^\t\S+:\d+:in\s|^\s+\S+\.rb:\d+:in\s|^#\d+ (\/|\[internal|\{main\})/;

/**
 * The lines of a log without its stack frames: Node/Java `at …`, Ruby's tab-indented
 * `file.rb:12:in …`, PHP's `#3 /path(12): …`, and a Python traceback's indented lines (its
 * "Traceback …" header and final exception line stay).
 */
export function withoutStackFrames(lines: string[]): string[] {
  const kept: string[] = [];
  let inPythonTraceback = false;
  for (const line of lines) {
    if (/^Traceback \(most recent call last\):/.test(line)) {
      inPythonTraceback = true;
      kept.push(line);
      continue;
    }
    if (inPythonTraceback && /^\s/.test(line)) continue;
    inPythonTraceback = false;
    if (!FRAME.test(line)) kept.push(line);
  }
  return kept;
}

/** The size of a file now (0 when it does not exist): where the run's part of a log ends. */
export function logSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
