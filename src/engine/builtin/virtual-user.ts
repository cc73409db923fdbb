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
  send(
    request: PreparedRequest,
    keepBytes: (status: number) => number,
    startedAt: number,
  ): Promise<HttpOutcome>;
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
      if ((await this.execute(step)) !== 'ok') return false;
    }
    this.ready = true;
    return true;
  }

  /**
   * One task, picked by weight. `intendedStart` (open model) is when the iteration was due:
   * its latency counts from then, so a late start is not hidden (coordinated omission).
   */
  iteration(intendedStart?: number): Promise<StepOutcome> {
    return this.execute(pick(this.context), intendedStart);
  }

  private connection(origin: number): Connection {
    let connection = this.connections[origin];
    if (!connection) {
      connection = this.context.connect(this.context.origins[origin] as string);
      this.connections[origin] = connection;
    }
    return connection;
  }

  /** Sends one step and records it. Never throws. */
  private async execute(compiled: CompiledStep, intendedStart?: number): Promise<StepOutcome> {
    const { aggregator } = this.context;
    const { step, endpoint } = compiled;
    const scope = this.scope;
    let request: PreparedRequest;
    try {
      request = compiled.prepare(scope);
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
      return 'unsent';
    }

    const started = performance.now();
    const connection = this.connection(compiled.origin);
    const outcome = await connection.send(request, compiled.keepBytes, started);
    const from = intendedStart !== undefined && intendedStart < started ? intendedStart : started;
    const latencyUs = Math.round((performance.now() - from) * 1000);
    if (outcome.cancelled) return 'cancelled'; // cut by the end of the stage: not a result

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
    connection.release();
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
 * One user's loop as passes: a pass runs the setup and iterations until the user sleeps (think
 * time, a failed setup's pause), then hands the next pass to the sleeper. A thinking user holds
 * no promise: its sleep is the one `next` callback in the sleeper's slot, where an awaited sleep
 * would keep a promise and its reaction closures alive through every young-generation
 * collection of its think time (about 200 bytes a user that each collection copies: at 10,000
 * users, most of its pause).
 */
class UserLoop {
  private done = 0;

  constructor(
    private readonly user: VirtualUser,
    private readonly context: UserContext,
    private readonly iterations: number | undefined,
    private readonly end: () => void,
    private readonly fail: (error: unknown) => void,
  ) {}

  /** Starts the next pass (one function for the user's whole life: nothing made per sleep). */
  readonly next = (): void => {
    this.pass().then(undefined, this.fail);
  };

  /** Iterations until the user sleeps (think time, a failed setup's pause) or ends. */
  private async pass(): Promise<void> {
    const { user, iterations } = this;
    const { think, sleeper, stop } = this.context;
    for (;;) {
      if (stop.aborted || (iterations !== undefined && this.done >= iterations)) return this.end();
      if (!user.ready && !(await user.setup())) {
        if (iterations !== undefined) return this.end(); // smoke: a failed setup is evidence enough
        sleeper.after(Math.max(SETUP_RETRY_MS, think.maxMs), this.next);
        return;
      }
      const outcome = await user.iteration();
      this.done++;
      if (think.maxMs > 0) {
        sleeper.after(thinkTime(think), this.next);
        return;
      }
      // nothing went out: give timers and I/O a turn, or the loop would never leave the
      // microtask queue
      if (outcome === 'unsent') {
        setImmediate(this.next);
        return;
      }
    }
  }
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
