import { describe, expect, it } from 'vitest';
import { Sleeper, type SleeperClock } from '../../../src/engine/builtin/sleeper.js';

/** A clock that moves only when told: timers fire in order as it passes them. */
class FakeClock implements SleeperClock {
  time = 0;
  timers = new Map<number, { at: number; fn: () => void }>();
  turns: (() => void)[] = [];
  /** Timers ever armed (the wheel arms one for the earliest slot, not one per sleep). */
  armed = 0;
  private nextId = 1;

  now = () => this.time;
  setTimer = (fn: () => void, ms: number) => {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + ms, fn });
    this.armed++;
    return id;
  };
  clearTimer = (handle: unknown) => {
    this.timers.delete(handle as number);
  };
  nextTurn = (fn: () => void) => {
    this.turns.push(fn);
  };

  /** Moves to `time`, firing every timer due on the way, earliest first. */
  advanceTo(time: number): void {
    for (;;) {
      const due = [...this.timers]
        .filter(([, t]) => t.at <= time)
        .sort((a, b) => a[1].at - b[1].at);
      const first = due[0];
      if (!first) break;
      this.time = Math.max(this.time, first[1].at);
      this.timers.delete(first[0]);
      first[1].fn();
    }
    this.time = time;
  }

  /** Runs the callbacks queued for the next turn of the event loop. */
  turn(): void {
    const turns = this.turns;
    this.turns = [];
    for (const fn of turns) fn();
  }
}

/** Lets the next turn of the event loop run (a sleep of 0 ms, a stopped sleeper's wakes). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

function setup(options: { slotMs?: number; maxWakesPerTurn?: number } = {}) {
  const clock = new FakeClock();
  const sleeper = new Sleeper({ clock, ...options });
  const woken: string[] = [];
  const sleep = (name: string, ms: number) => sleeper.after(ms, () => woken.push(name));
  return { clock, sleeper, woken, sleep };
}

describe('Sleeper (think times on one shared timer)', () => {
  it.each([
    // [time reached, who has woken by then]
    [2, []],
    [3, ['b', 'c']],
    [4, ['b', 'c']],
    [5, ['b', 'c', 'a']],
    [9, ['b', 'c', 'a']],
    [10, ['b', 'c', 'a', 'd']],
  ])('at %s ms, sleeps of a 5, b 3, c 3, d 10 ms have woken: %j', async (time, expected) => {
    const { clock, woken, sleep } = setup();
    sleep('a', 5);
    sleep('b', 3);
    sleep('c', 3);
    sleep('d', 10);
    clock.advanceTo(time);
    await settle();
    expect(woken).toEqual(expected);
  });

  it('keeps one timer armed, for the earliest slot, however many sleep', async () => {
    const { clock, woken, sleep } = setup();
    for (let i = 0; i < 1000; i++) sleep(`u${i}`, 1000);
    expect(clock.timers.size).toBe(1);
    expect(clock.armed).toBe(1);
    sleep('early', 10); // an earlier slot re-arms the timer
    expect(clock.timers.size).toBe(1);
    expect([...clock.timers.values()][0]?.at).toBe(10);
    clock.advanceTo(10);
    await settle();
    expect(woken).toEqual(['early']);
    expect([...clock.timers.values()][0]?.at).toBe(1000);
    clock.advanceTo(1000);
    while (clock.turns.length > 0) clock.turn(); // 128 a turn by default
    await settle();
    expect(woken).toHaveLength(1001);
    expect(clock.timers.size).toBe(0);
  });

  it('never wakes a sleeper before its time: a sleep ends at the end of its slot', async () => {
    const { clock, woken, sleep } = setup({ slotMs: 10 });
    clock.advanceTo(5);
    sleep('a', 1); // due at 6: its slot ends at 10
    sleep('b', 10); // due at 15: its slot ends at 20
    clock.advanceTo(9);
    await settle();
    expect(woken).toEqual([]);
    clock.advanceTo(10);
    await settle();
    expect(woken).toEqual(['a']);
    clock.advanceTo(19);
    await settle();
    expect(woken).toEqual(['a']);
    clock.advanceTo(20);
    await settle();
    expect(woken).toEqual(['a', 'b']);
  });

  it('wakes at most maxWakesPerTurn sleepers per turn of the event loop, in order', async () => {
    const { clock, sleeper, woken, sleep } = setup({ maxWakesPerTurn: 2 });
    for (const name of ['a', 'b', 'c', 'd', 'e']) sleep(name, 100);
    clock.advanceTo(100);
    await settle();
    expect(woken).toEqual(['a', 'b']);
    expect(sleeper.pending).toBe(3);
    clock.turn();
    await settle();
    expect(woken).toEqual(['a', 'b', 'c', 'd']);
    clock.turn();
    await settle();
    expect(woken).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(sleeper.pending).toBe(0);
    expect(clock.turns).toEqual([]);
  });

  it('stop wakes every sleeper, due or not, and later sleeps return at once', async () => {
    const { clock, sleeper, woken, sleep } = setup({ maxWakesPerTurn: 1 });
    sleep('due1', 5);
    sleep('due2', 5);
    sleep('later', 500);
    clock.advanceTo(5);
    await settle();
    expect(woken).toEqual(['due1']);
    sleeper.stop();
    await settle();
    expect(woken).toEqual(['due1', 'due2', 'later']);
    expect(clock.timers.size).toBe(0);
    sleep('after', 1000);
    clock.turn(); // once stopped, a sleep wakes on the next turn
    await settle();
    expect(woken).toEqual(['due1', 'due2', 'later', 'after']);
    clock.turn(); // a turn queued before the stop wakes nobody twice
    await settle();
    expect(woken).toHaveLength(4);
  });

  it('a sleep of 0 ms or less wakes on the next turn, with no timer', async () => {
    const { clock, woken, sleep } = setup();
    sleep('zero', 0);
    sleep('negative', -5);
    clock.turn();
    await settle();
    expect(woken).toEqual(['zero', 'negative']);
    expect(clock.armed).toBe(0);
  });

  it('after: calls back at the end of the slot, on the next turn when not positive or stopped', () => {
    const { clock, sleeper } = setup({ slotMs: 10 });
    const called: string[] = [];
    const wake = (name: string) => () => called.push(name);
    sleeper.after(15, wake('slot'));
    sleeper.after(0, wake('zero'));
    expect(called).toEqual([]); // never from inside `after`
    clock.turn();
    expect(called).toEqual(['zero']);
    clock.advanceTo(19);
    expect(called).toEqual(['zero']);
    clock.advanceTo(20);
    expect(called).toEqual(['zero', 'slot']);
    sleeper.after(1000, wake('cut'));
    sleeper.stop();
    expect(called).toEqual(['zero', 'slot', 'cut']);
    sleeper.after(1000, wake('late'));
    expect(called).toHaveLength(3);
    clock.turn();
    expect(called).toEqual(['zero', 'slot', 'cut', 'late']);
    expect(clock.timers.size).toBe(0);
  });
});
