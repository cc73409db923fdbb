import type { FindingFacts } from '../../report/finding-words/words.js';
import type { ErrorGroup, ErrorKind } from '../../model/run-result.js';
import {
  capacityCause,
  confidenceOf,
  generatorSignals,
  p95Failed,
  rampStage,
  signalsLine,
  type CapacityCause,
} from '../capacity-cause.js';
import {
  fr,
  endpointViews,
  failureOnsetNote,
  loadOnlyNote,
  percent,
  say,
  type DiagnoseInput,
  type Rule,
} from '../context.js';
import { findKnee } from '../knee.js';

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

/** Requests the server let time out or whose connection it dropped. */
const DROPPED_KINDS: ReadonlySet<ErrorKind> = new Set(['timeout', 'reset', 'closed']);
const dropped = (group: ErrorGroup) => group.kind !== undefined && DROPPED_KINDS.has(group.kind);

export const timeouts: Rule = (input) =>
  endpointViews(input)
    .filter((v) => v.loadOnly && v.stats.errors.some(dropped))
    .slice(0, 1)
    .map((v): FindingFacts => {
      const errors = v.stats.errors.filter(dropped);
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
          ...loadOnlyNote(v),
          ...failureOnsetNote(v, dropped),
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
  const stage = rampStage(input);
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
      !t.fact,
  );
  if (failed.length === 0) return [];
  const stage = rampStage(input) ?? input.result?.stages.find((s) => s.name === 'smoke');
  const slowest = [...(stage?.endpoints ?? [])]
    .filter((e) => e.requests > 0)
    .sort((a, b) => b.latency.p95 - a.latency.p95)
    .slice(0, 3);
  // a capacity cause explains the p95: this finding points to it and shares its action
  const cause = capacityCause(input);
  return failed.map((t): FindingFacts => ({
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
