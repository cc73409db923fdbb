import type { Dispatcher } from 'undici';

/** A request timed out as a whole (a body trickling in byte by byte never trips bodyTimeout). */
export class RequestTimeoutError extends Error {
  readonly code = 'LOADGATE_REQUEST_TIMEOUT';
}

interface Entry {
  controller: Dispatcher.DispatchController;
  deadline: number;
  timeoutMs: number;
}

/**
 * Whole-request deadlines for a stage, swept a few times a second: one timer for the stage, not
 * one per request. undici's headers/body timeouts stay in force for the common cases.
 */
export class Deadlines {
  private readonly entries = new Set<Entry>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly now: () => number = () => performance.now(),
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => this.sweep(), intervalMs);
    this.timer.unref();
  }

  track(controller: Dispatcher.DispatchController, timeoutMs: number): () => void {
    const entry = { controller, deadline: this.now() + timeoutMs, timeoutMs };
    this.entries.add(entry);
    return () => this.entries.delete(entry);
  }

  private sweep(): void {
    const now = this.now();
    for (const entry of this.entries) {
      if (now < entry.deadline) continue;
      this.entries.delete(entry);
      entry.controller.abort(new RequestTimeoutError(`timeout after ${entry.timeoutMs / 1000}s`));
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.entries.clear();
  }
}
