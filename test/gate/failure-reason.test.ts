import { describe, expect, it } from 'vitest';
import { failureReason } from '../../src/gate/failure-reason.js';
import type { StackEvidence } from '../../src/model/stack-evidence.js';
import type { GateResult, ThresholdResult } from '../../src/model/verdict.js';

const ready: StackEvidence = { command: 'x', started: true, ready: true, logTail: [] };
const threshold = (kind: 'limit' | 'regression', status: 'pass' | 'fail'): ThresholdResult => ({
  kind,
  metric: 'p95',
  scope: 'global',
  limit: '< 500ms',
  actual: 1,
  unit: 'ms',
  status,
});
const gate = (over: Partial<GateResult> = {}): GateResult => ({
  verdict: 'fail',
  regressions: 0,
  headlineFact: { kind: 'passed', checks: 0 },
  smokeFailed: false,
  thresholds: [],
  ...over,
});

describe('failureReason', () => {
  it.each([
    [
      'a pass',
      { exitCode: 0 as const, configError: false, stack: ready, gate: gate({ verdict: 'pass' }) },
      undefined,
    ],
    ['a config error', { exitCode: 2 as const, configError: true }, 'config'],
    [
      'a stack never ready',
      { exitCode: 2 as const, configError: false, stack: { ...ready, ready: false } },
      'stack',
    ],
    [
      'a stack that died',
      {
        exitCode: 1 as const,
        configError: false,
        stack: { ...ready, exit: { code: 1, signal: null, atMs: 5 } },
        gate: gate(),
      },
      'stack',
    ],
    [
      'a container that died',
      {
        exitCode: 1 as const,
        configError: false,
        stack: {
          ...ready,
          containerCrash: {
            service: 'app',
            container: 'a',
            kind: 'exited' as const,
            oomKilled: false,
            atMs: 1,
          },
        },
        gate: gate(),
      },
      'stack',
    ],
    [
      'a run stopped before a gate',
      { exitCode: 1 as const, configError: false, stack: ready },
      'stopped',
    ],
    [
      'a failed smoke stage',
      {
        exitCode: 1 as const,
        configError: false,
        gate: gate({ smokeFailed: true, thresholds: [threshold('limit', 'fail')] }),
      },
      'smoke-failed',
    ],
    [
      'a threshold and a regression',
      {
        exitCode: 1 as const,
        configError: false,
        gate: gate({ thresholds: [threshold('regression', 'fail'), threshold('limit', 'fail')] }),
      },
      'thresholds',
    ],
    [
      'regressions only',
      {
        exitCode: 1 as const,
        configError: false,
        gate: gate({
          regressions: 1,
          thresholds: [threshold('regression', 'fail'), threshold('limit', 'pass')],
        }),
      },
      'regression',
    ],
  ])('%s', (_what, input, expected) => {
    expect(failureReason(input)).toBe(expected);
  });
});
