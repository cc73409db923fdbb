import type { StageResult } from '../model/run-result.js';
import type { CapacitySignal, CpuFacts } from '../report/finding-words/capacity.js';
import {
  evidenceLogLines,
  SATURATED_CPU_PERCENT,
  stackCpu,
  type DiagnoseInput,
  type StackCpu,
} from './context.js';
import { findKnee, servedAtOnce, type Knee } from './knee.js';

/** The ramp, when it made requests. */
export function rampStage(input: DiagnoseInput): StageResult | undefined {
  const stage = input.result?.stages.find((s) => s.name === 'ramp');
  return stage && stage.total.requests > 0 ? stage : undefined;
}

/**
 * Whether a p95 threshold failed on real latencies: a p95 with a fact (every request failed, so
 * it is the time to get an error) is no latency failure.
 */
export function p95Failed(input: DiagnoseInput): boolean {
  return (
    input.gate?.thresholds.some((t) => t.metric === 'p95' && t.status === 'fail' && !t.fact) ??
    false
  );
}

/** Confidence from the independent signals that agree: two are a hint, four near certainty. */
export function confidenceOf(signals: readonly CapacitySignal[]): number {
  return Math.min(0.95, Math.round((0.45 + 0.15 * signals.length) * 100) / 100);
}

/** Below this much measured run time, the generator's CPU is start-up noise, not saturation. */
const GENERATOR_WINDOW_MS = 3000;
const GENERATOR_CPU_PERCENT = 90;
const GENERATOR_LAG_MS = 200;

/**
 * The signals that the load generator itself was the limit: seconds of CPU near a full core
 * and, where the engine measures it (the built-in one), its event loop late. Undefined when
 * they do not all hold: one busy second or one slow tick is no saturation.
 */
export function generatorSignals(input: DiagnoseInput): CapacitySignal[] | undefined {
  const result = input.result;
  // a smoke stage of one request measures the CPU over a fraction of a second of start-up
  if (!result || result.durationMs < GENERATOR_WINDOW_MS) return undefined;
  const { cpuPercent, maxEventLoopLagMs } = result.generator;
  if (cpuPercent < GENERATOR_CPU_PERCENT) return undefined;
  const seconds = Math.round(result.durationMs / 100) / 10;
  const signals: CapacitySignal[] = [{ kind: 'generator-cpu', cpuPercent, seconds }];
  if (result.engine === 'builtin') {
    if (maxEventLoopLagMs < GENERATOR_LAG_MS) return undefined;
    signals.push({ kind: 'event-loop', lagMs: maxEventLoopLagMs });
  }
  return signals;
}

export type CapacityKind = 'cpu-bound' | 'shared-bottleneck' | 'saturation';

/** Below this share of one core for the busiest process, the CPU is not what stops the API. */
const IDLE_CPU_PERCENT = 50;

/** What stopped the ramp's throughput, with the signals that say so; pure. */
export interface CapacityCause {
  id: `capacity.${CapacityKind}`;
  kind: CapacityKind;
  knee: Knee;
  cpu?: StackCpu;
  /** About how many requests the API served at once on the plateau. */
  atOnce: number;
  signals: CapacitySignal[];
}

/**
 * Tells apart why throughput stopped growing while the p95 failed: the stack's CPU (a process
 * at a full core for seconds), a shared resource (throughput flat with the CPU idle: a pool, a
 * lock, a single worker, a downstream call), or — the CPU not telling — plain saturation. A
 * saturated generator explains the plateau itself (`generator.saturated`): no capacity cause.
 */
export function capacityCause(input: DiagnoseInput): CapacityCause | undefined {
  const stage = rampStage(input);
  if (!stage || !p95Failed(input) || generatorSignals(input)) return undefined;
  const knee = findKnee(stage.timeline, input.config?.thresholds.global.p95?.value);
  if (!knee) return undefined;
  const cpu = stackCpu(input);
  // one request's time alone: the smoke stage's median (1 user), else the ramp's best second
  const smoke = input.result?.stages.find((s) => s.name === 'smoke' && s.total.requests > 0);
  const atOnce = servedAtOnce(knee.peakRps, smoke?.total.latency.p50 ?? knee.p50Early);
  const signals: CapacitySignal[] = [
    { kind: 'plateau', peakRps: knee.peakRps, kneeUsers: knee.kneeUsers, maxUsers: knee.maxUsers },
    { kind: 'latency-grew', p95Early: knee.p95Early, p95Late: knee.p95Late },
  ];
  let kind: CapacityKind = 'saturation';
  if (cpu) {
    const facts = cpuFacts(cpu);
    // how busy the busiest part was: its CPU, or its main thread's time on or waiting for a CPU
    const busiest = Math.max(facts.percent, facts.threadBusy ?? 0);
    if (cpu.saturatedSeconds >= 2) {
      kind = 'cpu-bound';
      signals.push({
        kind: 'cpu-saturated',
        cpu: facts,
        seconds: cpu.saturatedSeconds,
        saturatedPercent: SATURATED_CPU_PERCENT,
      });
      if (atOnce === 1) signals.push({ kind: 'one-at-a-time' });
    } else if (busiest < IDLE_CPU_PERCENT) {
      kind = 'shared-bottleneck';
      signals.push({ kind: 'cpu-idle', cpu: facts });
      signals.push({ kind: 'served-at-once', atOnce, peakRps: knee.peakRps });
      const line = evidenceLogLines(input)
        .filter((l) => BOTTLENECK_LOG.test(l))
        .at(-1);
      if (line !== undefined) signals.push({ kind: 'log', line });
      const services = input.stack?.services ?? [];
      const database = services.find((s) => DATABASE_SERVICE.test(s.service));
      if (database) signals.push({ kind: 'database', service: database.service });
    } else {
      signals.push({ kind: 'cpu-between', cpu: facts });
    }
  }
  return { id: `capacity.${kind}`, kind, knee, ...(cpu ? { cpu } : {}), atOnce, signals };
}

/**
 * Whose CPU the signals read: the busiest compose service, else the stack's busiest process,
 * else the whole stack, with its peak and its main thread's busy share.
 */
function cpuFacts(cpu: StackCpu): CpuFacts {
  return {
    ...(cpu.service ? { service: cpu.service } : {}),
    busiestProcess: cpu.busiestProcess !== undefined,
    percent: cpu.busiestProcess ?? cpu.percent,
    ...(cpu.busiestThreadBusy !== undefined ? { threadBusy: cpu.busiestThreadBusy } : {}),
  };
}

const DATABASE_SERVICE = /postgres|mysql|mariadb|mongo|redis|db\b|database/i;
const BOTTLENECK_LOG = /pool|lock|semaphore|queue|timed? ?out|too many (connections|clients)/i;
