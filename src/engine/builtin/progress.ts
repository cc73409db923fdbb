import type { EngineEvent } from '../engine.js';

export interface ProgressOptions {
  /** Where each line goes (without its newline); wins over `stream`. */
  write?: (line: string) => void;
  /** A writable that receives each line with a newline; process.stderr by default. */
  stream?: { write(text: string): unknown };
}

/**
 * Prints a line when a stage starts, one per second while it runs (stage, users, rps,
 * failures, p95) and one when it ends. Subscribe it to the engine's events (`onEvent`): it
 * writes and returns, so measuring never waits on display.
 */
export function createProgressPrinter(options: ProgressOptions = {}): (event: EngineEvent) => void {
  const stream = options.stream ?? process.stderr;
  const write = options.write ?? ((line: string) => void stream.write(`${line}\n`));
  return (event) => write(formatProgress(event));
}

/** The line printed for one engine event. */
export function formatProgress(event: EngineEvent): string {
  switch (event.type) {
    case 'stage-start':
      return `[${event.stage}] starting: ${event.users} user${event.users === 1 ? '' : 's'}`;
    case 'tick':
      return `[${event.stage}] ${String(event.second).padStart(3)}s  users ${String(event.users).padStart(4)}  rps ${String(event.requests).padStart(6)}  failures/s ${String(event.failures).padStart(4)}  p95 ${event.p95} ms`;
    case 'stage-end': {
      const { total } = event.result;
      return `[${event.stage}] ${event.result.status}: ${total.requests} requests, ${total.failures} failures, p95 ${total.latency.p95} ms in ${(event.result.durationMs / 1000).toFixed(1)} s`;
    }
  }
}
