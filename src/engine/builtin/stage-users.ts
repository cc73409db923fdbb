import type { EngineContext } from '../engine.js';
import { runVirtualUser, type UserContext } from './virtual-user.js';

/**
 * The virtual users of one stage as they come and go: how many run now (the ticker reads it),
 * the most at once, the data row each new user takes, and every user's run (awaited at the end).
 */
export class StageUsers {
  active = 0;
  peak = 0;
  /** True once `scenario.data` ran out with `when-exhausted: stop`: no more users start. */
  dataExhausted = false;
  readonly running: Promise<void>[] = [];
  private nextRow = 0;

  constructor(
    readonly context: UserContext,
    private readonly data: EngineContext['data'],
  ) {}

  /** The next user's row of `scenario.data` (undefined without data); false when it ran out. */
  takeRow(): Record<string, string> | undefined | false {
    const data = this.data;
    if (!data || data.rows.length === 0) return undefined;
    if (this.nextRow >= data.rows.length && data.whenExhausted === 'stop') {
      this.dataExhausted = true;
      return false;
    }
    return data.rows[this.nextRow++ % data.rows.length];
  }

  /** Starts a user for `iterations` (until the stage stops without); false when data ran out. */
  launch(iterations?: number): boolean {
    const row = this.takeRow();
    if (row === false) return false;
    this.active++;
    this.peak = Math.max(this.peak, this.active);
    this.running.push(runVirtualUser(this.context, iterations, row).finally(() => this.active--));
    return true;
  }
}
