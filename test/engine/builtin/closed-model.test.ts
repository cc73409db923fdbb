import { describe, expect, it } from 'vitest';
import type { StageAggregator } from '../../../src/engine/builtin/aggregator.js';
import { spawnUsers } from '../../../src/engine/builtin/closed-model.js';
import { MAX_STARTS_PER_TURN } from '../../../src/engine/builtin/stage-schedule.js';
import type { StageUsers } from '../../../src/engine/builtin/stage-users.js';

/**
 * Users launched between two turns of the event loop, as an observer re-armed with
 * `setImmediate` on every turn sees them.
 */
function watchTurns() {
  const perTurn: number[] = [];
  let sinceTurn = 0;
  let watching = true;
  const observe = () => {
    perTurn.push(sinceTurn);
    sinceTurn = 0;
    if (watching) setImmediate(observe);
  };
  setImmediate(observe);
  return {
    launched: () => sinceTurn++,
    stop: () => {
      watching = false;
      perTurn.push(sinceTurn);
      return perTurn.filter((n) => n > 0);
    },
  };
}

function fakes(onLaunch: () => void) {
  let launched = 0;
  let holdAtMs: number | undefined;
  const users = {
    launch: () => {
      launched++;
      onLaunch();
      return true;
    },
  } as unknown as StageUsers;
  const aggregator = {
    startHold: (elapsedMs: number) => (holdAtMs = elapsedMs),
  } as unknown as StageAggregator;
  return { users, aggregator, launched: () => launched, holdAtMs: () => holdAtMs };
}

describe('spawnUsers (closed model)', () => {
  it('catches up on an overdue schedule by batches, reading I/O between them', async () => {
    const count = 10 * MAX_STARTS_PER_TURN + 5;
    const turns = watchTurns();
    const { users, aggregator, launched, holdAtMs } = fakes(turns.launched);
    // the schedule is 10 s behind (a busy loop, a spawn rate the machine cannot hold): every
    // user is overdue at once
    const start = performance.now() - 10_000;
    await spawnUsers(
      { name: 'ramp', users: count, spawnRate: 1000, durationMs: 60_000 },
      users,
      aggregator,
      {
        start,
        clock: () => performance.now(),
        stop: new AbortController().signal,
      },
    );
    const perTurn = turns.stop();

    expect(launched()).toBe(count);
    // not every overdue user in one turn (the loop held while they all connect) ...
    expect(Math.max(...perTurn)).toBeLessThanOrEqual(MAX_STARTS_PER_TURN);
    expect(perTurn.length).toBeGreaterThanOrEqual(11);
    // ... and no slower than the batches: the schedule is not paced by timers once behind
    expect(perTurn.slice(0, -1).every((n) => n === MAX_STARTS_PER_TURN)).toBe(true);
    expect(holdAtMs()).toBeGreaterThanOrEqual(10_000);
  });

  it('stops starting users when the stage stops, and starts no hold', async () => {
    const stop = new AbortController();
    const { users, aggregator, launched, holdAtMs } = fakes(() => {
      if (launched() === 3) stop.abort();
    });
    await spawnUsers(
      { name: 'ramp', users: 1000, spawnRate: 20, durationMs: 60_000 },
      users,
      aggregator,
      { start: performance.now(), clock: () => performance.now(), stop: stop.signal },
    );

    expect(launched()).toBe(3);
    expect(holdAtMs()).toBeUndefined();
  });
});
