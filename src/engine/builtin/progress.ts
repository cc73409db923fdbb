import type { EngineEvent } from '../engine.js';

/**
 * Prints one line per second while a stage runs, and a line when it ends. Subscribed to the
 * engine's events: measuring never waits on display.
 */
export function createProgressPrinter(options: {
  write: (line: string) => void;
}): (event: EngineEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'stage-start':
        options.write(
          `[${event.stage}] starting: ${event.users} user${event.users === 1 ? '' : 's'}`,
        );
        break;
      case 'tick':
        options.write(
          `[${event.stage}] ${String(event.second).padStart(3)}s  users ${String(event.users).padStart(4)}  rps ${String(event.requests).padStart(6)}  failures/s ${String(event.failures).padStart(4)}  p95 ${event.p95} ms`,
        );
        break;
      case 'stage-end': {
        const { total } = event.result;
        options.write(
          `[${event.stage}] ${event.result.status}: ${total.requests} requests, ${total.failures} failures, p95 ${total.latency.p95} ms in ${(event.result.durationMs / 1000).toFixed(1)} s`,
        );
        break;
      }
    }
  };
}
