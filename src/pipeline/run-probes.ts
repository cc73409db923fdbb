import type { ProbePlan } from '../diagnose/probe-plan.js';
import { createBuiltinEngine } from '../engine/builtin/builtin-engine.js';
import type { EngineContext } from '../engine/engine.js';
import type { ProbeOutcome } from '../model/run-result.js';
import type { Logger } from '../shared/logger.js';

/**
 * Sends the planned probes, one after the other, while the stack still runs: each is one
 * iteration of one user (the built-in engine, whatever the run's engine) through the steps its
 * plan keeps. A probe is confirmed when its changed step was answered without failure.
 */
export async function runProbes(
  plans: ProbePlan[],
  context: Omit<EngineContext, 'scenario' | 'onEvent' | 'watch'> & { signal: AbortSignal },
  logger: Logger,
): Promise<ProbeOutcome[]> {
  const outcomes: ProbeOutcome[] = [];
  for (const plan of plans) {
    if (context.signal.aborted) break;
    const stage = await createBuiltinEngine().runStage(
      { name: 'smoke', users: 1, iterations: 1 },
      { ...context, scenario: plan.scenario },
    );
    const stats = stage.endpoints.find((e) => e.name === plan.step);
    const status = Number(Object.keys(stats?.statusCodes ?? {})[0] ?? 0);
    const confirmed = stats !== undefined && stats.requests > 0 && stats.failures === 0;
    logger.info(
      `probe ${plan.stepPath} (${plan.endpoint}) ${JSON.stringify(plan.hypothesis)}: ${status || 'no answer'}${confirmed ? ', confirmed' : ''}`,
    );
    outcomes.push({
      stepPath: plan.stepPath,
      endpoint: plan.endpoint,
      hypothesis: plan.hypothesis,
      status,
      confirmed,
    });
  }
  return outcomes;
}
