/**
 * The sentences of the capacity rules (src/diagnose/rules/capacity.ts, collapse.ts): what
 * stopped the ramp's throughput, timeouts under load, a saturated generator, a p95 over its
 * limit, a collapse at the end of the ramp; in each locale.
 */
import type { ThresholdCheck } from '../../model/verdict.js';
import { ofTotal, pct } from '../format-values.js';
import { thresholdLimit } from '../gate-messages.js';
import { COMMON, plural } from './common.js';

/** Where the ramp's throughput stopped growing (see diagnose/knee.ts). */
export interface KneeFacts {
  /** Users, requests/s and second of the ramp of the first second on the plateau. */
  kneeUsers: number;
  kneeRps: number;
  kneeSecond: number;
  /** The plateau's requests/s, and the most users of the ramp. */
  peakRps: number;
  maxUsers: number;
  /** The most users whose second met the p95 limit. */
  capacityUsers?: number | undefined;
}

/** Whose CPU a signal reads, and how busy it was. */
export interface CpuFacts {
  /** The compose service; none: the stack's busiest process (`busiestProcess`) or the stack. */
  service?: string | undefined;
  busiestProcess: boolean;
  /** Peak, percent of one core. */
  percent: number;
  /** Peak share of the time its main thread was on a CPU or waiting for one. */
  threadBusy?: number | undefined;
}

/**
 * One of the independent signals a capacity or generator finding counts. `saturatedPercent`:
 * the share of one core from which a process counts as saturated; `line`: a log line of the
 * stack, as written.
 */
export type CapacitySignal =
  | { kind: 'generator-cpu'; cpuPercent: number; seconds: number }
  | { kind: 'event-loop'; lagMs: number }
  | { kind: 'generator-plateau'; peakRps: number; kneeUsers: number }
  | { kind: 'plateau'; peakRps: number; kneeUsers: number; maxUsers: number }
  | { kind: 'latency-grew'; p95Early: number; p95Late: number }
  | { kind: 'cpu-saturated'; cpu: CpuFacts; seconds: number; saturatedPercent: number }
  | { kind: 'one-at-a-time' }
  | { kind: 'cpu-idle'; cpu: CpuFacts }
  | { kind: 'cpu-between'; cpu: CpuFacts }
  | { kind: 'served-at-once'; atOnce: number; peakRps: number }
  | { kind: 'log'; line: string }
  | { kind: 'database'; service: string };

/** Requests of an endpoint the server let time out or whose connection it dropped. */
export interface DroppedFacts {
  count: number;
  requests: number;
  /** Each error message as the engine wrote it, with its count. */
  errors: { message: string; count: number }[];
}

/** A p95 threshold the run failed on real latencies. */
export type LatencyOverLimit = ThresholdCheck & { actual: number };

/** The ramp's trailing seconds that failed mostly (see diagnose/windows.ts `endBurst`). */
export interface CollapseFacts {
  /** 1-based first second of the burst, its length, and the users then. */
  fromSecond: number;
  seconds: number;
  users: number;
  requests: number;
  failures: number;
  /** The ramp's requests and failures before the burst, and over the whole ramp. */
  before: { requests: number; failures: number };
  ramp: { requests: number; failures: number };
  /** When the burst began: `19:20:04` (UTC). */
  clock: string;
}

type SignalWords = {
  [K in CapacitySignal['kind']]: (s: Extract<CapacitySignal, { kind: K }>) => string;
};

const share = (part: { failures: number; requests: number }) => pct(part.failures, part.requests);
const lastSecond = (a: CollapseFacts) => a.fromSecond + a.seconds - 1;

const usersEn = (n: number) => `${n} ${n === 1 ? 'user' : 'users'}`;
const requestsEn = (n: number) => `${n} ${n === 1 ? 'request' : 'requests'}`;
const whoEn = (cpu: CpuFacts) =>
  cpu.service
    ? `service ${cpu.service}`
    : cpu.busiestProcess
      ? 'the stack’s busiest process'
      : 'the stack';
const mainThreadEn = (busy: number) =>
  `its main thread on a CPU or waiting for one up to ${busy}% of the time`;
const threadEn = (cpu: CpuFacts) =>
  cpu.threadBusy === undefined ? '' : ` (${mainThreadEn(cpu.threadBusy)})`;

const SIGNAL_EN: SignalWords = {
  'generator-cpu': (s) =>
    `generator CPU ${s.cpuPercent}% of one core on average over ${s.seconds} s`,
  'event-loop': (s) => `worst event-loop delay ${s.lagMs} ms`,
  'generator-plateau': (s) =>
    `throughput flat at ~${s.peakRps} requests/s from ${usersEn(s.kneeUsers)} on: the generator's own limit`,
  plateau: (s) =>
    `throughput flat at ~${s.peakRps} requests/s from ${usersEn(s.kneeUsers)} on, while users grew to ${s.maxUsers}`,
  'latency-grew': (s) => `p95 per second grew from ${s.p95Early} ms to ${s.p95Late} ms`,
  'cpu-saturated': (s) =>
    s.cpu.threadBusy !== undefined
      ? `${whoEn(s.cpu)} saturated for ${s.seconds} s: ${mainThreadEn(s.cpu.threadBusy)}, its CPU up to ${s.cpu.percent}% of one core`
      : `${whoEn(s.cpu)} at ${s.saturatedPercent}% of one core or more for ${s.seconds} s (peak ${s.cpu.percent}%)`,
  'one-at-a-time': () =>
    'requests served one at a time (throughput × one request’s time ≈ 1): a single thread does the work',
  'cpu-idle': (s) =>
    `${whoEn(s.cpu)} peaked at ${s.cpu.percent}% of one core${threadEn(s.cpu)}: the CPU is not what stops it`,
  'cpu-between': (s) =>
    `${whoEn(s.cpu)} peaked at ${s.cpu.percent}% of one core${threadEn(s.cpu)}: neither full nor idle`,
  'served-at-once': (s) =>
    `about ${requestsEn(s.atOnce)} served at once (throughput ${s.peakRps}/s × one request’s time): a limit of ${s.atOnce}`,
  log: (s) => COMMON.en['common.log-line'](s),
  database: (s) =>
    `the stack runs a database service (${s.service}): the pool of connections to it is the usual limit`,
};

const usersFr = (n: number) => `${n} ${plural(n, 'utilisateur', 'utilisateurs')}`;
const requestsFr = (n: number) => `${n} ${plural(n, 'requête', 'requêtes')}`;
const whoFr = (cpu: CpuFacts) =>
  cpu.service
    ? `le service ${cpu.service}`
    : cpu.busiestProcess
      ? 'le processus le plus chargé de la stack'
      : 'la stack';
const mainThreadFr = (busy: number) =>
  `son fil principal sur un CPU ou en attente d’un CPU jusqu’à ${busy} % du temps`;
const threadFr = (cpu: CpuFacts) =>
  cpu.threadBusy === undefined ? '' : ` (${mainThreadFr(cpu.threadBusy)})`;
/** « saturé », « saturée » for the stack. */
const saturatedFr = (cpu: CpuFacts) => (!cpu.service && !cpu.busiestProcess ? 'saturée' : 'saturé');

const SIGNAL_FR: SignalWords = {
  'generator-cpu': (s) =>
    `CPU du générateur ${s.cpuPercent} % d’un cœur en moyenne sur ${s.seconds} s`,
  'event-loop': (s) => `pire retard de la boucle d’événements ${s.lagMs} ms`,
  'generator-plateau': (s) =>
    `débit plat à ~${s.peakRps} requêtes/s dès ${usersFr(s.kneeUsers)} : la limite du générateur lui-même`,
  plateau: (s) =>
    `débit plat à ~${s.peakRps} requêtes/s dès ${usersFr(s.kneeUsers)}, alors que les utilisateurs sont montés à ${s.maxUsers}`,
  'latency-grew': (s) => `le p95 par seconde est passé de ${s.p95Early} ms à ${s.p95Late} ms`,
  'cpu-saturated': (s) =>
    s.cpu.threadBusy !== undefined
      ? `${whoFr(s.cpu)} ${saturatedFr(s.cpu)} pendant ${s.seconds} s : ${mainThreadFr(s.cpu.threadBusy)}, son CPU jusqu’à ${s.cpu.percent} % d’un cœur`
      : `${whoFr(s.cpu)} à ${s.saturatedPercent} % d’un cœur ou plus pendant ${s.seconds} s (pic ${s.cpu.percent} %)`,
  'one-at-a-time': () =>
    'requêtes servies une à la fois (débit × durée d’une requête ≈ 1) : un seul fil fait le travail',
  'cpu-idle': (s) =>
    `${whoFr(s.cpu)} a culminé à ${s.cpu.percent} % d’un cœur${threadFr(s.cpu)} : ce n’est pas le CPU qui limite le débit`,
  'cpu-between': (s) =>
    `${whoFr(s.cpu)} a culminé à ${s.cpu.percent} % d’un cœur${threadFr(s.cpu)} : ni plein ni inactif`,
  'served-at-once': (s) =>
    `environ ${s.atOnce} ${plural(s.atOnce, 'requête servie', 'requêtes servies')} à la fois (débit ${s.peakRps}/s × durée d’une requête) : une limite de ${s.atOnce}`,
  log: (s) => COMMON.fr['common.log-line'](s),
  database: (s) =>
    `la stack a un service de base de données (${s.service}) : le pool de connexions vers lui est la limite habituelle`,
};

/** A signal in its locale's words. */
function said(words: SignalWords, signal: CapacitySignal): string {
  return (words[signal.kind] as (s: CapacitySignal) => string)(signal);
}

const en = {
  'capacity.cpu-bound.title': (a: KneeFacts) =>
    `The API is CPU-bound: throughput stops at ~${a.peakRps} requests/s from ${usersEn(a.kneeUsers)} on, its CPU full`,
  'capacity.shared-bottleneck.title': (a: KneeFacts) =>
    `A shared bottleneck caps the API at ~${a.peakRps} requests/s from ${usersEn(a.kneeUsers)} on, its CPU mostly idle`,
  'capacity.saturation.title': (a: KneeFacts) =>
    `The API saturates at about ${usersEn(a.capacityUsers ?? a.kneeUsers)}: throughput plateaus at ~${a.peakRps} requests/s while latency grows`,
  'capacity.knee': (a: KneeFacts) =>
    `knee: throughput stopped growing at ${usersEn(a.kneeUsers)} (~${a.kneeRps} requests/s, second ${a.kneeSecond} of the ramp) while users kept growing to ${a.maxUsers}`,
  'capacity.signals': (a: { signals: CapacitySignal[] }) =>
    a.signals.length === 1
      ? `a single signal: ${said(SIGNAL_EN, a.signals[0]!)}`
      : `${a.signals.length} independent signals agree: ${a.signals.map((s) => said(SIGNAL_EN, s)).join('; ')}`,
  'capacity.met-threshold': (a: { users: number }) =>
    `highest user count whose p95 met the threshold: ${a.users}`,
  'capacity.cpu-bound.action': () =>
    'Run more workers/processes (one per core), and move blocking CPU work (password hashing, image or PDF work, big JSON) off the event loop or request thread: a worker pool, an async hash, a queue',
  'capacity.shared-bottleneck.action': (a: { atOnce: number }) =>
    a.atOnce === 1
      ? 'Find what serves one request at a time — a single worker or thread, a global lock or mutex, a pool of size 1, a synchronous downstream call — and raise it (more workers, a bigger pool, no lock around I/O)'
      : `Find the limit of about ${a.atOnce} at a time — a connection pool (database, HTTP client), worker threads, a semaphore, a downstream service — and raise it or make each use shorter`,
  'capacity.saturation.action': () =>
    'Find what limits throughput: the CPU (profile the hot endpoint, more workers) or a shared resource (connection pool, lock, single worker, downstream call)',
  'capacity.timeouts.title': (a: { endpoint: string }) =>
    `${a.endpoint} times out or drops connections under load`,
  'capacity.timeouts.dropped': (a: DroppedFacts) =>
    `${ofTotal(a.count, a.requests)} (${pct(a.count, a.requests)}) in the ramp: ${a.errors.map((e) => `${e.message} × ${e.count}`).join(', ')}`,
  'capacity.timeouts.action': () =>
    'Raise the server’s connection backlog and worker count, and check its own timeouts and keep-alive settings; then find the load where it starts with a smaller ramp',
  'generator.saturated.title': () =>
    'The load generator itself was saturated: its latencies include its own delay',
  'generator.saturated.action': () =>
    'Add think time, lower the users, or run the generator on more cores (the Locust engine in distributed mode)',
  'latency.threshold.title': (t: LatencyOverLimit) =>
    `p95 latency${t.scope === 'global' ? '' : ` of ${t.scope}`} is over its limit (${t.actual} ms, limit ${thresholdLimit(t, 'en')})`,
  'latency.threshold.measured': (t: LatencyOverLimit) =>
    `p95 ${t.actual} ms, limit ${thresholdLimit(t, 'en')}`,
  'latency.threshold.explained': (a: { cause: string; knee: KneeFacts }) =>
    `explained by \`${a.cause}\`: throughput stopped growing at ${usersEn(a.knee.kneeUsers)} (~${a.knee.peakRps} requests/s), so requests queue`,
  'latency.threshold.slowest': (a: { endpoint: string; p95: number; requests: number }) =>
    `${a.endpoint}: p95 ${a.p95} ms over ${requestsEn(a.requests)}`,
  'latency.threshold.profile': (a: { endpoint?: string | undefined }) =>
    `Profile ${a.endpoint ?? 'the slowest endpoint'} under load (database queries, N+1, missing index, blocking calls)`,
  'errors.collapse.title': (a: CollapseFacts) =>
    `The API collapsed at the end of the ramp: its last ${a.seconds} s failed ${share(a)} of requests, from ${usersEn(a.users)} on`,
  'errors.collapse.burst': (a: CollapseFacts) =>
    `seconds ${a.fromSecond} to ${lastSecond(a)} of the ramp (from ${a.clock} UTC, ${usersEn(a.users)}): ${ofTotal(a.failures, a.requests)} failed (${share(a)})`,
  'errors.collapse.before': (a: CollapseFacts) =>
    `before that: ${a.before.failures} of ${a.before.requests} (${share(a.before)}); over the whole ramp: ${share(a.ramp)}`,
  'errors.collapse.action': (a: CollapseFacts) =>
    `Find what ran out at ${usersEn(a.users)} — memory, connections, file descriptors, a pool, a crashed worker: read the stack log from ${a.clock} UTC on, then re-run the ramp up to that load`,
};

const fr: typeof en = {
  'capacity.cpu-bound.title': (a) =>
    `L’API est limitée par le CPU : le débit plafonne à ~${a.peakRps} requêtes/s dès ${usersFr(a.kneeUsers)}, son CPU plein`,
  'capacity.shared-bottleneck.title': (a) =>
    `Un goulet partagé plafonne l’API à ~${a.peakRps} requêtes/s dès ${usersFr(a.kneeUsers)}, son CPU presque inactif`,
  'capacity.saturation.title': (a) =>
    `L’API sature vers ${usersFr(a.capacityUsers ?? a.kneeUsers)} : le débit plafonne à ~${a.peakRps} requêtes/s pendant que la latence augmente`,
  'capacity.knee': (a) =>
    `coude : le débit a cessé de croître à ${usersFr(a.kneeUsers)} (~${a.kneeRps} requêtes/s, seconde ${a.kneeSecond} de la rampe) alors que le nombre d’utilisateurs a continué de monter jusqu’à ${a.maxUsers}`,
  'capacity.signals': (a) =>
    a.signals.length === 1
      ? `un seul signal : ${said(SIGNAL_FR, a.signals[0]!)}`
      : `${a.signals.length} signaux indépendants concordent : ${a.signals.map((s) => said(SIGNAL_FR, s)).join(' ; ')}`,
  'capacity.met-threshold': (a) =>
    `plus grand nombre d’utilisateurs dont le p95 respectait le seuil : ${a.users}`,
  'capacity.cpu-bound.action': () =>
    'Lancer plus de workers/processus (un par cœur), et sortir le travail CPU bloquant (hachage de mots de passe, images ou PDF, gros JSON) de la boucle d’événements ou du fil de la requête : un pool de workers, un hachage asynchrone, une file',
  'capacity.shared-bottleneck.action': (a) =>
    a.atOnce === 1
      ? 'Trouver ce qui sert une requête à la fois — un seul worker ou fil, un verrou global, un pool de taille 1, un appel en aval synchrone — et l’élargir (plus de workers, un pool plus grand, pas de verrou autour des E/S)'
      : `Trouver la limite d’environ ${a.atOnce} à la fois — un pool de connexions (base de données, client HTTP), des fils de travail, un sémaphore, un service en aval — et la relever ou raccourcir chaque usage`,
  'capacity.saturation.action': () =>
    'Trouver ce qui limite le débit : le CPU (profiler l’endpoint chaud, plus de workers) ou une ressource partagée (pool de connexions, verrou, worker unique, appel en aval)',
  'capacity.timeouts.title': (a) => `${a.endpoint} expire ou coupe des connexions sous charge`,
  'capacity.timeouts.dropped': (a) =>
    `${requestsFr(a.count)} sur ${a.requests} (${pct(a.count, a.requests)}) pendant la rampe : ${a.errors.map((e) => `${e.message} × ${e.count}`).join(', ')}`,
  'capacity.timeouts.action': () =>
    'Augmenter la file de connexions et le nombre de workers du serveur, vérifier ses délais et son keep-alive ; puis trouver la charge où cela commence avec une rampe plus petite',
  'generator.saturated.title': () =>
    'Le générateur de charge était lui-même saturé : ses latences incluent son propre retard',
  'generator.saturated.action': () =>
    'Ajouter du temps de réflexion, réduire les utilisateurs, ou répartir le générateur sur plus de cœurs (moteur Locust en mode distribué)',
  'latency.threshold.title': (t) =>
    `La latence p95${t.scope === 'global' ? '' : ` de ${t.scope}`} dépasse sa limite (${t.actual} ms, limite ${thresholdLimit(t, 'fr')})`,
  'latency.threshold.measured': (t) => `p95 ${t.actual} ms, limite ${thresholdLimit(t, 'fr')}`,
  'latency.threshold.explained': (a) =>
    `expliqué par \`${a.cause}\` : le débit a cessé de croître à ${usersFr(a.knee.kneeUsers)} (~${a.knee.peakRps} requêtes/s), les requêtes attendent donc`,
  'latency.threshold.slowest': (a) =>
    `${a.endpoint} : p95 ${a.p95} ms sur ${requestsFr(a.requests)}`,
  'latency.threshold.profile': (a) =>
    `Profiler ${a.endpoint ?? 'l’endpoint le plus lent'} sous charge (requêtes SQL, N+1, index manquant, appels bloquants)`,
  'errors.collapse.title': (a) =>
    `L’API s’est effondrée en fin de rampe : ses ${a.seconds} dernières secondes ont échoué à ${share(a)}, à partir de ${usersFr(a.users)}`,
  'errors.collapse.burst': (a) =>
    `secondes ${a.fromSecond} à ${lastSecond(a)} de la rampe (dès ${a.clock} UTC, ${usersFr(a.users)}) : ${requestsFr(a.failures)} sur ${a.requests} en échec (${share(a)})`,
  'errors.collapse.before': (a) =>
    `avant : ${a.before.failures} sur ${a.before.requests} (${share(a.before)}) ; sur toute la rampe : ${share(a.ramp)}`,
  'errors.collapse.action': (a) =>
    `Trouver ce qui s’est épuisé à ${usersFr(a.users)} — mémoire, connexions, descripteurs de fichiers, un pool, un worker tombé : lire le journal de la stack à partir de ${a.clock} UTC, puis relancer la rampe jusqu’à cette charge`,
};

/** The capacity family's sentences, in each locale. */
export const CAPACITY = { en, fr };
