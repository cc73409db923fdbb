import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * A log kept beside the stack log: `loadgate-stack.log` → `loadgate-stack.<part>.log` (a
 * service's container log, the teardown's output, what `stack.logs` printed).
 */
export function companionLog(logPath: string, part: string): string {
  const safe = part.replace(/[^\w.-]/g, '_');
  return logPath.replace(/(\.log)?$/, `.${safe}.log`);
}

const STACK_LOG = /^loadgate-(baseline-)?stack(\.[\w.-]+)?\.log$/;

/** The stack logs written beside a report (redacted at the end of a run, uploaded with it). */
export function stackLogFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => STACK_LOG.test(name))
      .sort()
      .map((name) => path.join(dir, name));
  } catch {
    return [];
  }
}

/** Removes the companion logs an earlier run left beside `logPath` (a service gone since). */
export function removeCompanionLogs(logPath: string): void {
  const dir = path.dirname(logPath);
  const prefix = `${path.basename(logPath).replace(/\.log$/, '')}.`;
  for (const file of stackLogFiles(dir)) {
    if (path.basename(file).startsWith(prefix)) rmSync(file, { force: true });
  }
}
