import type { ThinkTime } from '../../config/duration.js';
import type { ErrorKind } from '../../model/run-result.js';
import type { StageAggregator } from './aggregator.js';
import { captureVariables } from './capture.js';
import { checkBody } from './checks.js';
import type { HttpOutcome, PreparedRequest } from '../../transport/exchange.js';
import type { CompiledStep } from './prepared-request.js';
import { RequestBuildError } from './request-error.js';
import { buildSample, unsentSample } from './sample.js';
import type { Sleeper } from './sleeper.js';
import type { TemplateScope } from './template.js';

/** A virtual user's connection to one origin (undici's, or a raw socket for plain HTTP). */
export interface Connection {
  /** Sends `request`; `done` is called with the outcome, never before `send` returned. */
  send(
    request: PreparedRequest,
    keepBytes: (status: number) => number,
    startedAt: number,
    done: (outcome: HttpOutcome) => void,
  ): void;
  /** Forgets the last response: the user has read all it needed of it. */
  release(): void;
}

/** What every virtual user of a stage shares. */
export interface UserContext {
  setup: CompiledStep[];
  tasks: CompiledStep[];
  /** Cumulative task weights, for the weighted pick. */
  cumulativeWeights: number[];
  think: ThinkTime;
  env: Record<string, string | undefined>;
  /** The stage's origins (CompiledStep.origin indexes them). */
  origins: string[];
  /** A new keep-alive connection to an origin; each user keeps its own, as a real client does. */
  connect: (origin: string) => Connection;
  aggregator: StageAggregator;
  /** Aborted when users must stop starting work (end of stage). */
  stop: AbortSignal;
  /** Think-time sleeps, all woken when the stage stops. */
  sleeper: Sleeper;
}

/**
 * How a step went: `unsent` when the request could not be built (nothing went out);
 * `cancelled` when the end of the stage cut it (not counted).
 */
export type StepOutcome = 'ok' | 'failed' | 'unsent' | 'cancelled';

/**
 * Who waits for a user's step: one listener per user (its loop), called once per step. A step
 * not sent (`unsent`) is told at once, inside `iteration`; one sent, once its response came.
 */
export interface StepListener {
  stepDone(outcome: StepOutcome): void;
  /** What recording the step threw (a bug): the user cannot go on. */
  stepThrew(error: unknown): void;
}

/** A setup that failed is retried after this pause (at least), so a broken login does not spin. */
export const SETUP_RETRY_MS = 1000;

/**
 * One virtual user: its variables (captures), its data row, its setup steps run once (Locust's
 * on_start), then iterations of one weighted task each.
 */
export class VirtualUser {
  /** False until every setup step succeeded. */
  ready: boolean;
  private readonly scope: TemplateScope;
  private readonly connections: (Connection | undefined)[] = [];
  // the step in flight (one at a time): what its outcome is read against
  private step: CompiledStep | undefined;
  private request: PreparedRequest | undefined;
  private from = 0;
  private listener: StepListener | undefined;

  constructor(
    private readonly context: UserContext,
    data?: Record<string, string>,
  ) {
    this.scope = { vars: {}, env: context.env, usedEnv: new Set(), ...(data ? { data } : {}) };
    this.ready = context.setup.length === 0;
  }

  /** Runs the setup steps (all of them, again, until they all succeed); false when one failed. */
  async setup(): Promise<boolean> {
    if (this.ready) return true;
    for (const step of this.context.setup) {
      if (this.context.stop.aborted) return false;
      const outcome = await new Promise<StepOutcome>((stepDone, stepThrew) =>
        this.execute(step, undefined, { stepDone, stepThrew }),
      );
      if (outcome !== 'ok') return false;
    }
    this.ready = true;
    return true;
  }

  /**
   * One task, picked by weight, told to `listener`. `intendedStart` (open model) is when the
   * iteration was due: its latency counts from then, so a late start is not hidden
   * (coordinated omission).
   */
  iteration(listener: StepListener, intendedStart?: number): void {
    this.execute(pick(this.context), intendedStart, listener);
  }

  private connection(origin: number): Connection {
    let connection = this.connections[origin];
    if (!connection) {
      connection = this.context.connect(this.context.origins[origin] as string);
      this.connections[origin] = connection;
    }
    return connection;
  }

  /** Sends one step; its outcome is recorded, then told to `listener`. */
  private execute(
    compiled: CompiledStep,
    intendedStart: number | undefined,
    listener: StepListener,
  ): void {
    const { aggregator } = this.context;
    const { step, endpoint } = compiled;
    let request: PreparedRequest;
    try {
      request = compiled.prepare(this.scope);
    } catch (error) {
      const failure =
        error instanceof RequestBuildError
          ? error.message
          : `cannot build the request: ${String(error)}`;
      if (aggregator.wantsSample(endpoint, failure)) {
        aggregator.addSample(
          endpoint,
          failure,
          'request-build',
          undefined,
          unsentSample(step.request.method, compiled.displayUrl),
        );
      }
      aggregator.record(endpoint, 0, undefined, 0, 0, failure);
      listener.stepDone('unsent');
      return;
    }
    const started = performance.now();
    this.step = compiled;
    this.request = request;
    this.from = intendedStart !== undefined && intendedStart < started ? intendedStart : started;
    this.listener = listener;
    this.connection(compiled.origin).send(request, compiled.keepBytes, started, this.received);
  }

  /** The response (or failure) of the step in flight (one function for the user's life). */
  private readonly received = (outcome: HttpOutcome): void => {
    const latencyUs = Math.round((outcome.endedAt - this.from) * 1000);
    const listener = this.listener as StepListener;
    this.listener = undefined;
    let result: StepOutcome;
    try {
      result = this.record(outcome, latencyUs);
    } catch (error) {
      listener.stepThrew(error);
      return;
    }
    listener.stepDone(result);
  };

  /** Checks and records the outcome of the step in flight. */
  private record(outcome: HttpOutcome, latencyUs: number): StepOutcome {
    const compiled = this.step as CompiledStep;
    const request = this.request as PreparedRequest;
    this.step = undefined;
    this.request = undefined;
    if (outcome.cancelled) return 'cancelled'; // cut by the end of the stage: not a result

    const { aggregator } = this.context;
    const { step, endpoint } = compiled;
    const scope = this.scope;
    let failure: string | undefined;
    let kind: ErrorKind = 'other';
    const status = outcome.status;
    if (outcome.error !== undefined) {
      failure = outcome.error;
      kind = outcome.errorKind ?? 'other';
    } else if (!compiled.accepts(status)) {
      failure =
        status >= 400
          ? `HTTP ${status}`
          : `check status: got ${status}, expected ${describeStatuses(step.check.status ?? [])}`;
      kind = 'status';
    } else if (compiled.checksBody || step.capture.length > 0) {
      failure = checkBody(step, outcome.text);
      kind = 'check-failed';
      if (failure === undefined && step.capture.length > 0) {
        const captured = captureVariables(step, outcome);
        if ('error' in captured) {
          failure = captured.error;
          kind = 'capture-failed';
        } else Object.assign(scope.vars, captured.vars);
      }
    }
    if (failure !== undefined && aggregator.wantsSample(endpoint, failure)) {
      const secrets = [...(scope.usedEnv ?? []), ...Object.values(scope.vars)];
      aggregator.addSample(
        endpoint,
        failure,
        kind,
        status || undefined,
        buildSample(request, outcome, secrets),
      );
    }
    aggregator.record(
      endpoint,
      latencyUs,
      status,
      outcome.bytesReceived,
      outcome.bytesSent,
      failure,
    );
    this.connection(compiled.origin).release();
    return failure === undefined ? 'ok' : 'failed';
  }
}

/**
 * The closed model's loop: setup (retried after a pause when it fails in a ramp), then
 * iterations with think time between. `iterations` bounds the loop (smoke: a failed setup
 * ends the user at once); otherwise it runs until `stop`. Resolves when the user ends.
 */
export function runVirtualUser(
  context: UserContext,
  iterations?: number,
  data?: Record<string, string>,
): Promise<void> {
  return new Promise((end, fail) => {
    new UserLoop(new VirtualUser(context, data), context, iterations, end, fail).next();
  });
}

/**
 * One user's loop: the setup (a promise: once per user), then iterations, each begun when the
 * last one's response was recorded (from inside the socket's read: no promise, no microtask per
 * request), with think time between (the sleeper calls `next` back). A thinking user holds no
 * promise: its sleep is the one `next` callback in the sleeper's slot, where an awaited sleep
 * would keep a promise and its reaction closures alive through every young-generation
 * collection of its think time (about 200 bytes a user that each collection copies: at 10,000
 * users, most of its pause).
 */
class UserLoop implements StepListener {
  private done = 0;

  constructor(
    private readonly user: VirtualUser,
    private readonly context: UserContext,
    private readonly iterations: number | undefined,
    private readonly end: () => void,
    private readonly fail: (error: unknown) => void,
  ) {}

  /** The next iteration, or the setup first (one function for the user's whole life). */
  readonly next = (): void => {
    const { user, iterations } = this;
    if (this.context.stop.aborted || (iterations !== undefined && this.done >= iterations)) {
      this.end();
      return;
    }
    if (!user.ready) {
      user.setup().then(this.setUp, this.fail);
      return;
    }
    try {
      user.iteration(this);
    } catch (error) {
      this.fail(error);
    }
  };

  stepDone(outcome: StepOutcome): void {
    this.done++;
    const { think, sleeper } = this.context;
    if (think.maxMs > 0) sleeper.after(thinkTime(think), this.next);
    // nothing went out (told inside `iteration`): the next one waits a turn of the event loop,
    // or a user failing so every time would never let timers run
    else if (outcome === 'unsent') setImmediate(this.next);
    else this.next();
  }

  stepThrew(error: unknown): void {
    this.fail(error);
  }

  private readonly setUp = (ok: boolean): void => {
    if (ok) this.next();
    else if (this.iterations !== undefined)
      this.end(); // smoke: a failed setup is evidence enough
    else this.context.sleeper.after(Math.max(SETUP_RETRY_MS, this.context.think.maxMs), this.next);
  };
}

function pick(context: UserContext): CompiledStep {
  const { tasks, cumulativeWeights } = context;
  if (tasks.length === 1) return tasks[0] as CompiledStep;
  const roll = Math.random() * (cumulativeWeights[cumulativeWeights.length - 1] as number);
  let index = 0;
  while (roll >= (cumulativeWeights[index] as number)) index++;
  return tasks[index] as CompiledStep;
}

/** Uniform between minMs and maxMs. */
function thinkTime(think: ThinkTime): number {
  return think.maxMs === think.minMs
    ? think.minMs
    : think.minMs + Math.random() * (think.maxMs - think.minMs);
}

/** [200, 201, 202, 204] → "200-202 or 204"; a whole class → "2xx". */
export function describeStatuses(codes: number[]): string {
  const sorted = [...new Set(codes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && (sorted[j + 1] as number) === (sorted[j] as number) + 1) j++;
    const from = sorted[i] as number;
    const to = sorted[j] as number;
    parts.push(
      from === to
        ? String(from)
        : from % 100 === 0 && to === from + 99
          ? `${from / 100}xx`
          : `${from}-${to}`,
    );
    i = j + 1;
  }
  return parts.join(' or ');
}
