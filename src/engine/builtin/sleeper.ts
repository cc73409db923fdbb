import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Timers that can all be woken at once when a stage stops, without one abort listener per
 * sleeping user (thousands of listeners on one signal make every removal slow).
 */
export class Sleeper {
  private readonly pending = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  private stopped = false;

  sleep(ms: number): Promise<void> {
    if (ms <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.pending.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.pending.add(entry);
    });
  }

  /** Wakes every sleeper now; later sleeps return at once. */
  stop(): void {
    this.stopped = true;
    for (const entry of this.pending) {
      clearTimeout(entry.timer);
      entry.wake();
    }
    this.pending.clear();
  }
}

/** Waits `ms`, or less if `signal` aborts first; never rejects. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // stopped
  }
}
