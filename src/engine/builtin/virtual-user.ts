import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import type { ThinkTime } from '../../config/duration.js';
import type { StageAggregator } from './aggregator.js';
import { captureVariables } from './capture.js';
import { checkBody } from './checks.js';
import type { Deadlines } from './deadlines.js';
import { sendRequest } from './http-client.js';
import type { CompiledStep, PreparedRequest } from './prepared-request.js';
import { buildSample, SAMPLE_BYTES } from './sample.js';
import type { Sleeper } from './sleeper.js';
import { MissingVariableError, type TemplateScope } from './template.js';

const CAPTURE_BYTES = 1024 * 1024;

/** What every virtual user of a stage shares. */
export interface UserContext {
  setup: CompiledStep[];
  tasks: CompiledStep[];
  /** Cumulative task weights, for the weighted pick. */
  cumulativeWeights: number[];
  think: ThinkTime;
  env: Record<string, string | undefined>;
  /** A new keep-alive connection to an origin; each user keeps its own, as a real client does. */
  connect: (origin: string) => Dispatcher;
  aggregator: StageAggregator;
  /** Aborted when users must stop starting work (end of stage). */
  stop: AbortSignal;
  /** Think-time sleeps, all woken when the stage stops. */
  sleeper: Sleeper;
  /** True once in-flight requests were cancelled (end of the grace period, or an abort). */
  cancelled: () => boolean;
  deadlines: Deadlines;
}

/**
 * One virtual user: its variables (captures), its data row, its setup steps run once (Locust's
 * on_start), then iterations of one weighted task each.
 */
export class VirtualUser {
  private readonly scope: TemplateScope;
  private ready: boolean;
  private readonly connections = new Map<string, Dispatcher>();
  private readonly connection = (origin: string): Dispatcher => {
    let client = this.connections.get(origin);
    if (!client) {
      client = this.context.connect(origin);
      this.connections.set(origin, client);
    }
    return client;
  };

  constructor(
    private readonly context: UserContext,
    data?: Record<string, string>,
  ) {
    this.scope = { vars: {}, env: context.env, usedEnv: new Set(), ...(data ? { data } : {}) };
    this.ready = context.setup.length === 0;
  }

  /** Runs the setup steps if they have not succeeded yet; false when one failed. */
  async setup(): Promise<boolean> {
    if (this.ready) return true;
    for (const step of this.context.setup) {
      if (this.context.stop.aborted) return false;
      if (!(await execute(this.context, step, this.scope, this.connection))) return false;
    }
    this.ready = true;
    return true;
  }

  /**
   * One task, picked by weight. `intendedStart` (open model) is when the iteration was due:
   * its latency counts from then, so a late start is not hidden (coordinated omission).
   */
  async iteration(intendedStart?: number): Promise<void> {
    await execute(this.context, pick(this.context), this.scope, this.connection, intendedStart);
  }
}

/**
 * The closed model's loop: setup (retried after a pause when it fails in a ramp), then
 * iterations with think time between. `iterations` bounds the loop (smoke); otherwise it runs
 * until `stop`.
 */
export async function runVirtualUser(
  context: UserContext,
  iterations?: number,
  data?: Record<string, string>,
): Promise<void> {
  const user = new VirtualUser(context, data);
  for (let i = 0; iterations === undefined || i < iterations;) {
    if (context.stop.aborted) return;
    if (!(await user.setup())) {
      if (iterations !== undefined) return; // smoke: one failed setup is enough evidence
      await context.sleeper.sleep(Math.max(1000, context.think.maxMs));
      continue;
    }
    await user.iteration();
    i++;
    await context.sleeper.sleep(thinkTime(context.think));
  }
}

function pick(context: UserContext): CompiledStep {
  const { tasks, cumulativeWeights } = context;
  if (tasks.length === 1) return tasks[0] as CompiledStep;
  const roll = Math.random() * (cumulativeWeights[cumulativeWeights.length - 1] as number);
  const index = cumulativeWeights.findIndex((w) => roll < w);
  return tasks[index] as CompiledStep;
}

function thinkTime(think: ThinkTime): number {
  return think.maxMs === think.minMs
    ? think.minMs
    : think.minMs + Math.random() * (think.maxMs - think.minMs);
}

export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    // stopped
  }
}

function accepts(compiled: CompiledStep, status: number): boolean {
  const expected = compiled.step.check.status;
  return expected ? expected.includes(status) : status > 0 && status < 400;
}

/** Sends one step and records it; returns true on success. Never throws. */
async function execute(
  context: UserContext,
  compiled: CompiledStep,
  scope: TemplateScope,
  connection: (origin: string) => Dispatcher,
  intendedStart?: number,
): Promise<boolean> {
  const { aggregator } = context;
  const { step, endpoint } = compiled;
  let request: PreparedRequest;
  try {
    request = compiled.prepare(scope);
  } catch (error) {
    if (!(error instanceof MissingVariableError)) throw error;
    const failure = error.message;
    if (aggregator.wantsSample(endpoint, failure)) {
      aggregator.addSample(endpoint, failure, undefined, {
        request: { method: step.request.method, url: step.request.url, headers: {} },
      });
    }
    aggregator.record({
      endpoint,
      latencyUs: 0,
      status: undefined,
      bytesReceived: 0,
      bytesSent: 0,
      failure,
    });
    return false;
  }

  const started = performance.now();
  const outcome = await sendRequest(connection(request.origin), request, {
    timeoutMs: step.request.timeoutMs,
    keepBytes: (status) =>
      compiled.needsBody ? CAPTURE_BYTES : accepts(compiled, status) ? 0 : SAMPLE_BYTES + 1,
    isCancelled: context.cancelled,
    deadlines: context.deadlines,
  });
  const from = intendedStart !== undefined && intendedStart < started ? intendedStart : started;
  const latencyUs = Math.round((performance.now() - from) * 1000);
  if (outcome.cancelled) return false; // cut by the end of the stage: not a result

  let failure: string | undefined;
  if (outcome.error) failure = outcome.error;
  else if (!accepts(compiled, outcome.status)) {
    failure =
      outcome.status >= 400
        ? `HTTP ${outcome.status}`
        : `check status: got ${outcome.status}, expected ${describeStatuses(step.check.status ?? [])}`;
  } else {
    failure = checkBody(step, outcome.text);
    if (failure === undefined && step.capture.length > 0) {
      const captured = captureVariables(step, outcome);
      if ('error' in captured) failure = captured.error;
      else Object.assign(scope.vars, captured.vars);
    }
  }
  if (failure !== undefined && aggregator.wantsSample(endpoint, failure)) {
    const secrets = [...(scope.usedEnv ?? []), ...Object.values(scope.vars)];
    aggregator.addSample(
      endpoint,
      failure,
      outcome.status || undefined,
      buildSample(request, outcome, secrets),
    );
  }
  aggregator.record({
    endpoint,
    latencyUs,
    status: outcome.status,
    bytesReceived: outcome.bytesReceived,
    bytesSent: outcome.bytesSent,
    failure,
  });
  return failure === undefined;
}

/** [200, 201, 202, 204] → "200-202 or 204"; a whole class → "2xx". */
function describeStatuses(codes: number[]): string {
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
