import type { Config } from '../config/schema.js';
import type { RunResult, StageReasonFact, StageResult } from '../model/run-result.js';
import type { Engine, EngineContext, StageSpec } from './engine.js';

/**
 * Runs the smoke stage, then the ramp only if every smoke request succeeded: a broken endpoint
 * is caught with one user instead of hundreds. The same for every engine.
 */
export async function runStages(
  engine: Engine,
  stages: Config['stages'],
  context: EngineContext,
  clock: () => Date = () => new Date(),
): Promise<RunResult> {
  const startedAt = clock();
  const results: StageResult[] = [];
  const smokeSpec: StageSpec = { name: 'smoke', ...stages.smoke };
  const rampSpec: StageSpec = { name: 'ramp', ...stages.ramp };

  const smoke = await engine.runStage(smokeSpec, context);
  results.push(smoke);

  if (context.signal?.aborted) {
    results.push(skipped(rampSpec, { kind: 'stopped-before-ramp' }, clock()));
  } else if (smoke.total.failures > 0 || smoke.status !== 'completed') {
    const first = smoke.total.errors[0]?.message ?? smoke.reason;
    const fact: StageReasonFact = {
      kind: 'smoke-failed',
      failures: smoke.total.failures,
      requests: smoke.total.requests,
      ...(first !== undefined ? { firstError: first } : {}),
    };
    results.push(skipped(rampSpec, fact, clock()));
  } else {
    results.push(await engine.runStage(rampSpec, context));
  }

  return {
    engine: engine.name,
    startedAt: startedAt.toISOString(),
    durationMs: clock().getTime() - startedAt.getTime(),
    stages: results,
    generator: engine.generatorStats(),
  };
}

/** A stage not run: why, as facts (the JSON report words them in its `reason`). */
function skipped(spec: StageSpec, reason: StageReasonFact, at: Date): StageResult {
  return {
    name: spec.name,
    status: 'skipped',
    reasonFact: reason,
    users: spec.users,
    peakUsers: 0,
    startedAt: at.toISOString(),
    durationMs: 0,
    endpoints: [],
    total: emptyEndpoint('Aggregated', ''),
    timeline: [],
  };
}

export function emptyEndpoint(name: string, method: string): StageResult['total'] {
  return {
    name,
    method,
    requests: 0,
    failures: 0,
    latency: { min: 0, max: 0, mean: 0, p50: 0, p90: 0, p95: 0, p99: 0 },
    bytesReceived: 0,
    bytesSent: 0,
    rps: 0,
    failuresPerSecond: 0,
    statusCodes: {},
    errors: [],
  };
}
