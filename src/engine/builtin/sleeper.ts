import { setTimeout as sleep } from 'node:timers/promises';

/** The timer functions a Sleeper runs on (Node's by default; a fake clock in tests). */
export interface SleeperClock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Calls `fn` once, in about `ms`. */
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Calls `fn` on the next turn of the event loop, after pending I/O. */
  nextTurn(fn: () => void): void;
}

const NODE_CLOCK: SleeperClock = {
  now: () => performance.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as NodeJS.Timeout),
  nextTurn: (fn) => setImmediate(fn),
};

export interface SleeperOptions {
  clock?: SleeperClock;
  /** Width of a slot of the wheel (ms): sleeps ending in the same slot wake together. */
  slotMs?: number;
  /** Sleepers woken in one turn of the event loop at most; the rest wake on the next turns. */
  maxWakesPerTurn?: number;
}

/**
 * Think-time sleeps on one shared timer (a timer wheel) instead of one `setTimeout` per user:
 * a sleep joins the slot it ends in (slots of `slotMs`, never earlier than asked), and the
 * timer is armed for the earliest slot only. Due sleepers wake at most `maxWakesPerTurn` per
 * turn of the event loop, the rest on the next turns, so that responses are read between
 * bursts: 10,000 users whose think times ended together do not send 10,000 requests before
 * the first response is read (their latencies would carry the burst). All sleepers can be woken
 * at once when the stage stops, without an abort listener per sleeping user.
 */
export class Sleeper {
  private readonly clock: SleeperClock;
  private readonly slotMs: number;
  private readonly maxWakes: number;
  /** Sleepers by slot (the slot's end, in slotMs units). */
  private readonly slots = new Map<number, (() => void)[]>();
  /** The slots held in `slots`, as a min-heap. */
  private readonly heap: number[] = [];
  /** Due sleepers not woken yet (over the limit of a turn). */
  private due: (() => void)[] = [];
  private dueIndex = 0;
  private timer: unknown;
  /** The slot the timer is armed for (Infinity: none). */
  private armedSlot = Infinity;
  private turnPending = false;
  private stopped = false;

  constructor(options: SleeperOptions = {}) {
    this.clock = options.clock ?? NODE_CLOCK;
    this.slotMs = options.slotMs ?? 1;
    this.maxWakes = options.maxWakesPerTurn ?? 128;
  }

  /** Sleepers not woken yet (for tests). */
  get pending(): number {
    let n = this.due.length - this.dueIndex;
    for (const list of this.slots.values()) n += list.length;
    return n;
  }

  /**
   * Calls `wake` in about `ms` (never earlier), or when the sleeper stops; on the next turn of
   * the event loop when `ms` is not positive or the sleeper has stopped. What a long sleep holds
   * is `wake` and its place in a slot, no promise: a user that passes the same `wake` every time
   * allocates nothing that lives through its sleep.
   */
  after(ms: number, wake: () => void): void {
    if (ms <= 0 || this.stopped) {
      this.clock.nextTurn(wake);
      return;
    }
    const slot = Math.ceil((this.clock.now() + ms) / this.slotMs);
    const list = this.slots.get(slot);
    if (list) list.push(wake);
    else {
      this.slots.set(slot, [wake]);
      heapPush(this.heap, slot);
      if (slot < this.armedSlot) this.arm();
    }
  }

  /** Wakes every sleeper now; later sleeps return at once. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    this.armedSlot = Infinity;
    const due = this.due;
    for (let i = this.dueIndex; i < due.length; i++) (due[i] as () => void)();
    this.due = [];
    this.dueIndex = 0;
    for (const slot of this.heap) for (const wake of this.slots.get(slot) ?? []) wake();
    this.slots.clear();
    this.heap.length = 0;
  }

  /** Arms the timer for the earliest slot. */
  private arm(): void {
    if (this.timer !== undefined) this.clock.clearTimer(this.timer);
    this.timer = undefined;
    const slot = this.heap[0];
    this.armedSlot = slot ?? Infinity;
    if (slot === undefined) return;
    const wait = Math.max(0, slot * this.slotMs - this.clock.now());
    this.timer = this.clock.setTimer(() => this.fire(), wait);
  }

  private fire(): void {
    this.timer = undefined;
    this.armedSlot = Infinity;
    const now = this.clock.now();
    // every slot whose end has passed is due, earliest first
    while (this.heap.length > 0 && (this.heap[0] as number) * this.slotMs <= now) {
      const slot = heapPop(this.heap);
      const list = this.slots.get(slot) as (() => void)[];
      this.slots.delete(slot);
      if (this.dueIndex === this.due.length) {
        this.due = list;
        this.dueIndex = 0;
      } else for (const wake of list) this.due.push(wake);
    }
    this.wakeSome();
    this.arm();
  }

  /** Wakes up to maxWakesPerTurn due sleepers; the rest on the next turn. */
  private wakeSome(): void {
    const due = this.due;
    const end = Math.min(due.length, this.dueIndex + this.maxWakes);
    while (this.dueIndex < end) (due[this.dueIndex++] as () => void)();
    if (this.dueIndex === due.length) {
      this.due = [];
      this.dueIndex = 0;
      return;
    }
    if (this.turnPending) return;
    this.turnPending = true;
    this.clock.nextTurn(() => {
      this.turnPending = false;
      if (!this.stopped) this.wakeSome();
    });
  }
}

function heapPush(heap: number[], value: number): void {
  let i = heap.push(value) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if ((heap[parent] as number) <= value) break;
    heap[i] = heap[parent] as number;
    i = parent;
  }
  heap[i] = value;
}

function heapPop(heap: number[]): number {
  const top = heap[0] as number;
  const last = heap.pop() as number;
  if (heap.length === 0) return top;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= heap.length) break;
    const right = left + 1;
    const child =
      right < heap.length && (heap[right] as number) < (heap[left] as number) ? right : left;
    if ((heap[child] as number) >= last) break;
    heap[i] = heap[child] as number;
    i = child;
  }
  heap[i] = last;
  return top;
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
