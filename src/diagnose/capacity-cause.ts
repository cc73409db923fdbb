import type { StageResult } from '../model/run-result.js';
import {
  evidenceLogLines,
  fr,
  SATURATED_CPU_PERCENT,
  say,
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
export function confidenceOf(signals: string[]): number {
  return Math.min(0.95, Math.round((0.45 + 0.15 * signals.length) * 100) / 100);
}

/** "3 independent signals agree: a; b; c". */
export function signalsLine(input: DiagnoseInput, signals: string[]): string {
  return say(
    input,
    `${signals.length} independent signals agree: ${signals.join('; ')}`,
    `${signals.length} signaux indépendants concordent : ${signals.join(' ; ')}`,
  );
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
export function generatorSignals(input: DiagnoseInput): string[] | undefined {
  const result = input.result;
  // a smoke stage of one request measures the CPU over a fraction of a second of start-up
  if (!result || result.durationMs < GENERATOR_WINDOW_MS) return undefined;
  const { cpuPercent, maxEventLoopLagMs } = result.generator;
  if (cpuPercent < GENERATOR_CPU_PERCENT) return undefined;
  const seconds = Math.round(result.durationMs / 100) / 10;
  const signals = [
    say(
      input,
      `generator CPU ${cpuPercent}% of one core on average over ${seconds} s`,
      `CPU du générateur ${cpuPercent} % d’un cœur en moyenne sur ${seconds} s`,
    ),
  ];
  if (result.engine === 'builtin') {
    if (maxEventLoopLagMs < GENERATOR_LAG_MS) return undefined;
    signals.push(
      say(
        input,
        `worst event-loop delay ${maxEventLoopLagMs} ms`,
        `pire retard de la boucle d’événements ${maxEventLoopLagMs} ms`,
      ),
    );
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
  signals: string[];
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
  const signals = [
    say(
      input,
      `throughput flat at ~${knee.peakRps} requests/s from ${knee.kneeUsers} users on, while users grew to ${knee.maxUsers}`,
      `débit plat à ~${knee.peakRps} requêtes/s dès ${knee.kneeUsers} utilisateurs, alors que les utilisateurs sont montés à ${knee.maxUsers}`,
    ),
    say(
      input,
      `p95 per second grew from ${knee.p95Early} ms to ${knee.p95Late} ms`,
      `le p95 par seconde est passé de ${knee.p95Early} ms à ${knee.p95Late} ms`,
    ),
  ];
  const busiestCpu = cpu?.busiestProcess ?? cpu?.percent;
  // how busy the busiest part was: its CPU, or its main thread's time on or waiting for a CPU
  const busiest =
    busiestCpu === undefined ? undefined : Math.max(busiestCpu, cpu?.busiestThreadBusy ?? 0);
  const what = cpu?.service
    ? say(input, `service ${cpu.service}`, `le service ${cpu.service}`)
    : cpu?.busiestProcess !== undefined
      ? say(input, 'the stack’s busiest process', 'le processus le plus chargé de la stack')
      : say(input, 'the stack', 'la stack');
  const thread =
    cpu?.busiestThreadBusy === undefined
      ? ''
      : say(
          input,
          ` (its main thread on a CPU or waiting for one up to ${cpu.busiestThreadBusy}% of the time)`,
          ` (son fil principal sur un CPU ou en attente d’un CPU jusqu’à ${cpu.busiestThreadBusy} % du temps)`,
        );
  let kind: CapacityKind = 'saturation';
  if (cpu && busiest !== undefined && cpu.saturatedSeconds >= 2) {
    kind = 'cpu-bound';
    signals.push(
      cpu.busiestThreadBusy !== undefined
        ? say(
            input,
            `${what} saturated for ${cpu.saturatedSeconds} s: its main thread on a CPU or waiting for one up to ${cpu.busiestThreadBusy}% of the time, its CPU up to ${busiestCpu}% of one core`,
            `${what} saturé pendant ${cpu.saturatedSeconds} s : son fil principal sur un CPU ou en attente d’un CPU jusqu’à ${cpu.busiestThreadBusy} % du temps, son CPU jusqu’à ${busiestCpu} % d’un cœur`,
          )
        : say(
            input,
            `${what} at ${SATURATED_CPU_PERCENT}% of one core or more for ${cpu.saturatedSeconds} s (peak ${busiestCpu}%)`,
            `${what} à ${SATURATED_CPU_PERCENT} % d’un cœur ou plus pendant ${cpu.saturatedSeconds} s (pic ${busiestCpu} %)`,
          ),
    );
    if (atOnce === 1)
      signals.push(
        say(
          input,
          'requests served one at a time (throughput × one request’s time ≈ 1): a single thread does the work',
          'requêtes servies une à la fois (débit × durée d’une requête ≈ 1) : un seul fil fait le travail',
        ),
      );
  } else if (cpu && busiest !== undefined && busiest < IDLE_CPU_PERCENT) {
    kind = 'shared-bottleneck';
    signals.push(
      say(
        input,
        `${what} peaked at ${busiestCpu}% of one core${thread}: the CPU is not what stops it`,
        `${what} a culminé à ${busiestCpu} % d’un cœur${thread} : ce n’est pas le CPU qui le bloque`,
      ),
    );
    signals.push(
      say(
        input,
        `about ${atOnce} ${atOnce === 1 ? 'request' : 'requests'} served at once (throughput ${knee.peakRps}/s × one request’s time): a limit of ${atOnce}`,
        `environ ${atOnce} ${fr(atOnce, 'requête servie', 'requêtes servies')} à la fois (débit ${knee.peakRps}/s × durée d’une requête) : une limite de ${atOnce}`,
      ),
    );
    const logs = evidenceLogLines(input).filter((line) => BOTTLENECK_LOG.test(line));
    if (logs.length > 0) signals.push(`log: ${logs[logs.length - 1]}`);
    const database = (input.stack?.services ?? []).find((s) => DATABASE_SERVICE.test(s.service));
    if (database)
      signals.push(
        say(
          input,
          `the stack runs a database service (${database.service}): the pool of connections to it is the usual limit`,
          `la stack a un service de base de données (${database.service}) : le pool de connexions vers lui est la limite habituelle`,
        ),
      );
  } else if (busiest !== undefined) {
    signals.push(
      say(
        input,
        `${what} peaked at ${busiestCpu}% of one core${thread}: neither full nor idle`,
        `${what} a culminé à ${busiestCpu} % d’un cœur${thread} : ni plein ni inactif`,
      ),
    );
  }
  return { id: `capacity.${kind}`, kind, knee, ...(cpu ? { cpu } : {}), atOnce, signals };
}

const DATABASE_SERVICE = /postgres|mysql|mariadb|mongo|redis|db\b|database/i;
const BOTTLENECK_LOG = /pool|lock|semaphore|queue|timed? ?out|too many (connections|clients)/i;
