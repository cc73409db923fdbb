import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import type { ThinkTime } from '../../config/duration.js';
import type { StageAggregator } from './aggregator.js';
import { captureVariables } from './capture.js';
import { sendRequest } from './http-client.js';
import type { CompiledStep, PreparedRequest } from './prepared-request.js';
import { buildSample, SAMPLE_BYTES } from './sample.js';
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
  dispatcher: Dispatcher;
  aggregator: StageAggregator;
  /** Aborted when users must stop starting work (end of stage). */
  stop: AbortSignal;
  /** Aborted when in-flight requests must be cancelled (end of the grace period). */
  cancel: AbortSignal;
}

/**
 * One virtual user: its setup steps once (retried after a pause when they fail in a ramp),
 * then iterations of one weighted task each, with think time between. `iterations` bounds
 * the loop (smoke); otherwise it runs until `stop`.
 */
export async function runVirtualUser(context: UserContext, iterations?: number): Promise<void> {
  const vars: Record<string, string> = {};
  const scope: TemplateScope = { vars, env: context.env, usedEnv: new Set() };
  let ready = context.setup.length === 0;
  for (let i = 0; iterations === undefined || i < iterations;) {
    if (context.stop.aborted) return;
    if (!ready) {
      ready = true;
      for (const step of context.setup) {
        if (context.stop.aborted) return;
        if (!(await execute(context, step, scope))) {
          ready = false;
          break;
        }
      }
      if (!ready) {
        if (iterations !== undefined) return; // smoke: one failed setup is enough evidence
        await pause(Math.max(1000, context.think.maxMs), context.stop);
        continue;
      }
    }
    await execute(context, pick(context), scope);
    i++;
    await pause(thinkTime(context.think), context.stop);
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

async function pause(ms: number, signal: AbortSignal): Promise<void> {
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
  const outcome = await sendRequest(context.dispatcher, request, {
    timeoutMs: step.request.timeoutMs,
    keepBytes: (status) =>
      compiled.needsBody ? CAPTURE_BYTES : accepts(compiled, status) ? 0 : SAMPLE_BYTES + 1,
    signal: context.cancel,
  });
  const latencyUs = Math.round((performance.now() - started) * 1000);
  if (outcome.cancelled) return false; // cut by the end of the stage: not a result

  let failure: string | undefined;
  if (outcome.error) failure = outcome.error;
  else if (!accepts(compiled, outcome.status)) {
    failure =
      outcome.status >= 400
        ? `HTTP ${outcome.status}`
        : `check status: got ${outcome.status}, expected ${step.check.status?.join(' or ')}`;
  } else if (step.capture.length > 0) {
    const captured = captureVariables(step, outcome);
    if ('error' in captured) failure = captured.error;
    else Object.assign(scope.vars, captured.vars);
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
