import type { StackEvidence } from '../model/stack-evidence.js';
import type { FailureReason, GateResult } from '../model/verdict.js';

/**
 * The one reason a run failed, or undefined when it passed: a bad config, a stack that never
 * became usable or died, a run stopped (signal, max-duration), a failed smoke stage, thresholds,
 * or regressions only. Pure.
 */
export function failureReason(input: {
  exitCode: 0 | 1 | 2;
  configError: boolean;
  stack?: StackEvidence | undefined;
  gate?: GateResult | undefined;
}): FailureReason | undefined {
  const { exitCode, stack, gate } = input;
  if (exitCode === 0) return undefined;
  if (input.configError) return 'config';
  if (stack && (!stack.ready || stack.exit || stack.containerCrash)) return 'stack';
  if (!gate) return 'stopped';
  if (gate.smokeFailed) return 'smoke-failed';
  const failed = gate.thresholds.filter((t) => t.status === 'fail');
  if (failed.some((t) => t.kind !== 'regression')) return 'thresholds';
  if (failed.length > 0) return 'regression';
  return 'stopped'; // the gate failed with no threshold failing: the ramp was cut short
}
