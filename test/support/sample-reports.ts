import type { DiagnoseInput } from '../../src/diagnose/context.js';
import { configSchema } from '../../src/config/config-schema.js';
import type { Config } from '../../src/config/schema.js';
import { diagnose } from './diagnose.js';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import type { RunErrorFact } from '../../src/model/json-report.js';
import type { RunResult } from '../../src/model/run-result.js';
import type { StackEvidence } from '../../src/model/stack-evidence.js';
import type { Locale } from '../../src/report/messages.js';
import { buildJsonReport, type JsonReport } from '../../src/report/report-data.js';
import { endpoint, run, stage } from './run-result.js';

/** Reports as a run builds them (gate, diagnosis, plan), from RunResult data: the renderers' input. */

export const sampleConfig = configSchema.parse({
  target: 'http://127.0.0.1:8000',
  scenario: {
    setup: [
      {
        name: 'POST /token',
        request: { method: 'POST', url: '/token', json: { username: 'demo', password: 'x' } },
      },
    ],
    tasks: [{ request: { url: '/items' } }],
  },
});

export function sampleReport(
  result: RunResult | undefined,
  locale: Locale,
  options: {
    stack?: StackEvidence;
    error?: string;
    errorFact?: RunErrorFact;
    baseline?: RunResult;
    config?: Config;
    configError?: DiagnoseInput['configError'];
  } = {},
): JsonReport {
  const config = options.config ?? sampleConfig;
  const gate =
    result &&
    evaluateGate(
      result,
      config.thresholds,
      options.baseline && {
        stages: options.baseline.stages,
        commit: 'b'.repeat(40),
        source: 'base.json',
      },
    );
  const { findings, plan } = diagnose({
    config,
    result,
    gate,
    stack: options.stack,
    locale,
    ...(options.configError ? { configError: options.configError } : {}),
  });
  return buildJsonReport({
    version: '0.1.0',
    generatedAt: new Date(0),
    target: config.target,
    configDigest: 'd1g35t',
    commit: 'a'.repeat(40),
    environment: { cores: 2, node: 'v24.0.0' },
    result,
    gate,
    stack: options.stack,
    findings,
    plan,
    ...(options.error ? { error: options.error } : {}),
    // as the pipeline does: a stack that never became usable ended the run, with its facts
    ...(options.errorFact ? { errorFact: options.errorFact } : {}),
    ...(options.error && options.stack?.errorFact && !result
      ? { errorFact: { kind: 'stack' as const, fact: options.stack.errorFact } }
      : {}),
    locale,
  });
}

/** Two stages that pass, GET /items with the given p95 (ms) in the ramp. */
export function healthyRun(p95: number): RunResult {
  const items = endpoint({
    name: 'GET /items',
    requests: 3000,
    latency: { min: 1, max: 80, mean: 20, p50: 18, p90: 40, p95, p99: 70 },
  });
  const token = endpoint({ name: 'POST /token', requests: 300 });
  return run([
    stage('smoke', [token, endpoint({ name: 'GET /items', requests: 5 })]),
    stage('ramp', [items, token]),
  ]);
}

/** A stack that never became ready, as the stack runner reports it. */
export const notReadyStack: StackEvidence = {
  command: 'uvicorn app:app',
  started: true,
  ready: false,
  error:
    'not ready after 1m (stack.ready-timeout); last check: http://127.0.0.1:8000/health: ECONNREFUSED',
  errorFact: {
    kind: 'not-ready',
    timeoutMs: 60_000,
    detached: false,
    lastCheck: { kind: 'no-answer', url: 'http://127.0.0.1:8000/health', error: 'ECONNREFUSED' },
  },
  logTail: ['INFO:     Started server process [42]', 'ERROR:    [Errno 98] address already in use'],
};

/** The report of a run refused by its config: no result, the error as the headline. */
export function configErrorReport(): JsonReport {
  return buildJsonReport({
    version: '0.1.0',
    generatedAt: new Date(0),
    target: '',
    configDigest: '',
    findings: [],
    plan: [],
    error: 'loadgate.yml: invalid config\n- `stak`: unknown key (did you mean `stack`?)',
  });
}
