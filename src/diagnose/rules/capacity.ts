import type { StageResult } from '../../model/run-result.js';
import type { Finding } from '../../model/verdict.js';
import {
  fr,
  endpointViews,
  evidenceLogLines,
  failureOnsetNote,
  loadOnlyNote,
  percent,
  SATURATED_CPU_PERCENT,
  say,
  stackCpu,
  type DiagnoseInput,
  type Rule,
  type StackCpu,
} from '../context.js';
import { findKnee, servedAtOnce, type Knee } from '../knee.js';

function ramp(input: DiagnoseInput): StageResult | undefined {
  const stage = input.result?.stages.find((s) => s.name === 'ramp');
  return stage && stage.total.requests > 0 ? stage : undefined;
}

/**
 * Whether a p95 threshold failed on real latencies: a p95 with a note (every request failed, so
 * it is the time to get an error) is no latency failure.
 */
function p95Failed(input: DiagnoseInput): boolean {
  return (
    input.gate?.thresholds.some((t) => t.metric === 'p95' && t.status === 'fail' && !t.note) ??
    false
  );
}

/** Confidence from the independent signals that agree: two are a hint, four near certainty. */
function confidenceOf(signals: string[]): number {
  return Math.min(0.95, Math.round((0.45 + 0.15 * signals.length) * 100) / 100);
}

function signalsLine(input: DiagnoseInput, signals: string[]): string {
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
function generatorSignals(input: DiagnoseInput): string[] | undefined {
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

type CapacityKind = 'cpu-bound' | 'shared-bottleneck' | 'saturation';

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
  const stage = ramp(input);
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

function capacityTitle(input: DiagnoseInput, cause: CapacityCause): string {
  const { knee } = cause;
  const users = knee.capacityUsers ?? knee.kneeUsers;
  switch (cause.kind) {
    case 'cpu-bound':
      return say(
        input,
        `The API is CPU-bound: throughput stops at ~${knee.peakRps} requests/s from ${knee.kneeUsers} users on, its CPU full`,
        `L’API est limitée par le CPU : le débit plafonne à ~${knee.peakRps} requêtes/s dès ${knee.kneeUsers} utilisateurs, son CPU plein`,
      );
    case 'shared-bottleneck':
      return say(
        input,
        `A shared bottleneck caps the API at ~${knee.peakRps} requests/s from ${knee.kneeUsers} users on, its CPU mostly idle`,
        `Un goulet partagé plafonne l’API à ~${knee.peakRps} requêtes/s dès ${knee.kneeUsers} utilisateurs, son CPU presque inactif`,
      );
    default:
      return say(
        input,
        `The API saturates at about ${users} users: throughput plateaus at ~${knee.peakRps} requests/s while latency grows`,
        `L’API sature vers ${users} utilisateurs : le débit plafonne à ~${knee.peakRps} requêtes/s pendant que la latence augmente`,
      );
  }
}

/** The first action of a capacity cause; latency.threshold repeats it when the cause explains it. */
function capacityAction(input: DiagnoseInput, cause: CapacityCause): string {
  switch (cause.kind) {
    case 'cpu-bound':
      return say(
        input,
        'Run more workers/processes (one per core), and move blocking CPU work (password hashing, image or PDF work, big JSON) off the event loop or request thread: a worker pool, an async hash, a queue',
        'Lancer plus de workers/processus (un par cœur), et sortir le travail CPU bloquant (hachage de mots de passe, images ou PDF, gros JSON) de la boucle d’événements ou du fil de la requête : un pool de workers, un hachage asynchrone, une file',
      );
    case 'shared-bottleneck':
      return cause.atOnce === 1
        ? say(
            input,
            'Find what serves one request at a time — a single worker or thread, a global lock or mutex, a pool of size 1, a synchronous downstream call — and raise it (more workers, a bigger pool, no lock around I/O)',
            'Trouver ce qui sert une requête à la fois — un seul worker ou fil, un verrou global, un pool de taille 1, un appel en aval synchrone — et l’élargir (plus de workers, un pool plus grand, pas de verrou autour des E/S)',
          )
        : say(
            input,
            `Find the limit of about ${cause.atOnce} at a time — a connection pool (database, HTTP client), worker threads, a semaphore, a downstream service — and raise it or make each use shorter`,
            `Trouver la limite d’environ ${cause.atOnce} à la fois — un pool de connexions (base de données, client HTTP), des fils de travail, un sémaphore, un service en aval — et la relever ou raccourcir chaque usage`,
          );
    default:
      return say(
        input,
        'Find what limits throughput: the CPU (profile the hot endpoint, more workers) or a shared resource (connection pool, lock, single worker, downstream call)',
        'Trouver ce qui limite le débit : le CPU (profiler l’endpoint chaud, plus de workers) ou une ressource partagée (pool de connexions, verrou, worker unique, appel en aval)',
      );
  }
}

/** capacity.cpu-bound, capacity.shared-bottleneck, or capacity.saturation when the CPU does not tell. */
export const saturation: Rule = (input) => {
  const cause = capacityCause(input);
  if (!cause) return [];
  const { knee } = cause;
  return [
    {
      id: cause.id,
      title: capacityTitle(input, cause),
      confidence: confidenceOf(cause.signals),
      priority: 'high',
      evidence: [
        say(
          input,
          `knee: throughput stopped growing at ${knee.kneeUsers} users (~${knee.kneeRps} requests/s, second ${knee.kneeSecond} of the ramp) while users kept growing to ${knee.maxUsers}`,
          `coude : le débit a cessé de croître à ${knee.kneeUsers} utilisateurs (~${knee.kneeRps} requêtes/s, seconde ${knee.kneeSecond} de la rampe) alors que les utilisateurs ont continué jusqu’à ${knee.maxUsers}`,
        ),
        signalsLine(input, cause.signals),
        ...(knee.capacityUsers !== undefined
          ? [
              say(
                input,
                `highest user count whose p95 met the threshold: ${knee.capacityUsers}`,
                `plus grand nombre d’utilisateurs dont le p95 respectait le seuil : ${knee.capacityUsers}`,
              ),
            ]
          : []),
      ],
      actions: [{ text: capacityAction(input, cause), priority: 'high', effort: '1 d' }],
    },
  ];
};

const TIMEOUT_OR_RESET = /^(timeout|ECONNRESET|UND_ERR_SOCKET|EPIPE)/;

export const timeouts: Rule = (input) =>
  endpointViews(input)
    .filter((v) => v.loadOnly && v.stats.errors.some((e) => TIMEOUT_OR_RESET.test(e.message)))
    .slice(0, 1)
    .map((v): Finding => {
      const errors = v.stats.errors.filter((e) => TIMEOUT_OR_RESET.test(e.message));
      const count = errors.reduce((n, e) => n + e.count, 0);
      return {
        id: 'capacity.timeouts',
        title: say(
          input,
          `${v.stats.name} times out or drops connections under load`,
          `${v.stats.name} expire ou coupe des connexions sous charge`,
        ),
        confidence: 0.75,
        priority: 'high',
        evidence: [
          say(
            input,
            `${count} of ${v.stats.requests} requests (${percent(count, v.stats.requests)}) in the ramp: ${errors.map((e) => `${e.message} × ${e.count}`).join(', ')}`,
            `${count} ${fr(count, 'requête', 'requêtes')} sur ${v.stats.requests} (${percent(count, v.stats.requests)}) pendant la rampe : ${errors.map((e) => `${e.message} × ${e.count}`).join(', ')}`,
          ),
          ...loadOnlyNote(input, v),
          ...failureOnsetNote(input, v, (e) => TIMEOUT_OR_RESET.test(e.message)),
        ],
        actions: [
          {
            text: say(
              input,
              'Raise the server’s connection backlog and worker count, and check its own timeouts and keep-alive settings; then find the load where it starts with a smaller ramp',
              'Augmenter la file de connexions et le nombre de workers du serveur, vérifier ses délais et son keep-alive ; puis trouver la charge où cela commence avec une rampe plus petite',
            ),
            priority: 'high',
            effort: '2 h',
          },
        ],
      };
    });

export const generatorSaturated: Rule = (input) => {
  const signals = generatorSignals(input);
  if (!signals) return [];
  const latencyFailed = p95Failed(input);
  const stage = ramp(input);
  const knee = stage && findKnee(stage.timeline, input.config?.thresholds.global.p95?.value);
  if (knee)
    signals.push(
      say(
        input,
        `throughput flat at ~${knee.peakRps} requests/s from ${knee.kneeUsers} users on: the generator's own limit`,
        `débit plat à ~${knee.peakRps} requêtes/s dès ${knee.kneeUsers} utilisateurs : la limite du générateur lui-même`,
      ),
    );
  const priority = latencyFailed ? (knee ? 'high' : 'medium') : 'low';
  return [
    {
      id: 'generator.saturated',
      title: say(
        input,
        'The load generator itself was saturated: its latencies include its own delay',
        'Le générateur de charge était lui-même saturé : ses latences incluent son propre retard',
      ),
      confidence: confidenceOf(signals),
      priority,
      evidence: [signalsLine(input, signals)],
      actions: [
        {
          text: say(
            input,
            'Add think time, lower the users, or run the generator on more cores (the Locust engine in distributed mode)',
            'Ajouter du temps de réflexion, réduire les utilisateurs, ou répartir le générateur sur plus de cœurs (moteur Locust en mode distribué)',
          ),
          priority,
          effort: '30 min',
        },
      ],
    },
  ];
};

export const latencyThreshold: Rule = (input) => {
  const failed = (input.gate?.thresholds ?? []).filter(
    (t) =>
      t.kind !== 'regression' &&
      t.metric === 'p95' &&
      t.status === 'fail' &&
      t.actual !== null &&
      !t.note,
  );
  if (failed.length === 0) return [];
  const stage = ramp(input) ?? input.result?.stages.find((s) => s.name === 'smoke');
  const slowest = [...(stage?.endpoints ?? [])]
    .filter((e) => e.requests > 0)
    .sort((a, b) => b.latency.p95 - a.latency.p95)
    .slice(0, 3);
  // a capacity cause explains the p95: this finding points to it and shares its action
  const cause = capacityCause(input);
  return failed.map((t): Finding => ({
    id: 'latency.threshold',
    title: say(
      input,
      `p95 latency${t.scope === 'global' ? '' : ` of ${t.scope}`} is over its limit (${t.actual} ms, limit ${t.limit})`,
      `La latence p95${t.scope === 'global' ? '' : ` de ${t.scope}`} dépasse sa limite (${t.actual} ms, limite ${t.limit})`,
    ),
    confidence: cause ? 0.5 : 0.7,
    priority: 'medium',
    evidence: [
      say(input, `p95 ${t.actual} ms, limit ${t.limit}`, `p95 ${t.actual} ms, limite ${t.limit}`),
      ...(cause
        ? [
            say(
              input,
              `explained by \`${cause.id}\`: throughput stopped growing at ${cause.knee.kneeUsers} users (~${cause.knee.peakRps} requests/s), so requests queue`,
              `expliqué par \`${cause.id}\` : le débit a cessé de croître à ${cause.knee.kneeUsers} utilisateurs (~${cause.knee.peakRps} requêtes/s), les requêtes attendent donc`,
            ),
          ]
        : []),
      ...slowest.map((e) =>
        say(
          input,
          `${e.name}: p95 ${e.latency.p95} ms over ${e.requests} requests`,
          `${e.name} : p95 ${e.latency.p95} ms sur ${e.requests} requêtes`,
        ),
      ),
    ],
    actions: [
      cause
        ? { text: capacityAction(input, cause), priority: 'medium', effort: '1 d' }
        : {
            text: say(
              input,
              `Profile ${slowest[0]?.name ?? 'the slowest endpoint'} under load (database queries, N+1, missing index, blocking calls)`,
              `Profiler ${slowest[0]?.name ?? 'l’endpoint le plus lent'} sous charge (requêtes SQL, N+1, index manquant, appels bloquants)`,
            ),
            priority: 'medium',
            effort: '4 h',
          },
    ],
  }));
};
