import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { pause } from './sleeper.js';

/** When a stage started and when it must stop: what the load models schedule against. */
export interface StageSchedule {
  /** The stage's start, on `clock` (ms). */
  start: number;
  clock: () => number;
  /** Aborted at the end of the stage (its duration, a stop reason, the run's signal). */
  stop: AbortSignal;
}

/**
 * Starts (users, iterations) made in one turn of the event loop at most while a schedule is
 * behind. Catching up on every overdue start at once would hold the loop while they connect
 * and send, the next catch-up would be bigger still, and every latency measured meanwhile
 * would carry it: a tail made by the generator (10,000 users spawned in a second held the loop
 * for 400 ms at a time).
 */
export const MAX_STARTS_PER_TURN = 32;

/**
 * Paces a load model's starts: waits until a start is due; once behind, lets the event loop
 * turn (responses read, timers run) every `MAX_STARTS_PER_TURN` starts instead.
 */
export class StartPacer {
  private startsThisTurn = 0;

  constructor(private readonly schedule: StageSchedule) {}

  /** Resolves when the start due at `due` (on the schedule's clock) may be made. */
  async until(due: number): Promise<void> {
    const { clock, stop } = this.schedule;
    const wait = due - clock();
    if (wait > 0) {
      await pause(wait, stop);
      this.startsThisTurn = 0;
    } else if (++this.startsThisTurn >= MAX_STARTS_PER_TURN) {
      await yieldToEventLoop();
      this.startsThisTurn = 0;
    }
  }
}
