import type { StageResult, TimelinePoint } from '../../model/run-result.js';
import type { Finding } from '../../model/verdict.js';
import {
  fr,
  endpointViews,
  percent,
  say,
  type DiagnoseInput,
  type Rule,
  stackCpuPeak,
} from '../context.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function ramp(input: DiagnoseInput): StageResult | undefined {
  const stage = input.result?.stages.find((s) => s.name === 'ramp');
  return stage && stage.total.requests > 0 ? stage : undefined;
}

/**
 * The ramp shows the textbook knee: users keep growing, throughput stops, latency climbs.
 * Per-second points are noisy on a shared runner (a GC pause or a busy neighbour makes one
 * second slow, a catch-up makes one second fast), so no single point decides: the early
 * latency is the best second of the first half, the late one the median of the last third,
 * and the peak throughput is the second-best second.
 */
export function saturationKnee(stage: StageResult, p95LimitMs: number | undefined) {
  const points = stage.timeline.filter((p) => p.rps > 0 && p.users > 0);
  if (points.length < 4) return undefined;
  const firstHalf = points.slice(0, Math.ceil(points.length / 2));
  const lastThird = points.slice(-Math.max(1, Math.floor(points.length / 3)));
  const p95Early = Math.min(...firstHalf.map((p) => p.p95));
  const p95Late = median(lastThird.map((p) => p.p95));
  const peakRps = [...points.map((p) => p.rps)].sort((a, b) => b - a)[1] as number;
  const knee = points.find((p) => p.rps >= 0.9 * peakRps) as TimelinePoint;
  const maxUsers = Math.max(...points.map((p) => p.users));
  const latencyGrew = p95Late >= 2 * Math.max(p95Early, 0.5);
  const plateau = knee.users < 0.9 * maxUsers;
  if (!latencyGrew || !plateau) return undefined;
  const within = p95LimitMs === undefined ? [] : points.filter((p) => p.p95 < p95LimitMs);
  const capacityUsers = within.length > 0 ? Math.max(...within.map((p) => p.users)) : undefined;
  return { p95Early, p95Late, peakRps, kneeUsers: knee.users, maxUsers, capacityUsers };
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

export const saturation: Rule = (input) => {
  const stage = ramp(input);
  if (!stage || !p95Failed(input)) return [];
  const knee = saturationKnee(stage, input.config?.thresholds.global.p95?.value);
  if (!knee) return [];
  const cpuPeak = stackCpuPeak(input);
  const peakCpu = cpuPeak?.percent;
  const cpuOf = cpuPeak?.service ? `service ${cpuPeak.service}` : undefined;
  const cpuBound = peakCpu !== undefined && peakCpu >= 85;
  const capacity = knee.capacityUsers ?? knee.kneeUsers;
  return [
    {
      id: 'capacity.saturation',
      title: say(
        input,
        `The API saturates at about ${capacity} users: throughput plateaus at ~${knee.peakRps} requests/s while latency grows`,
        `L’API sature vers ${capacity} utilisateurs : le débit plafonne à ~${knee.peakRps} requêtes/s pendant que la latence augmente`,
      ),
      confidence: cpuBound ? 0.85 : 0.65,
      priority: 'high',
      evidence: [
        say(
          input,
          `throughput stopped growing at ${knee.kneeUsers} users (~${knee.peakRps} requests/s) while users kept growing to ${knee.maxUsers}`,
          `le débit a cessé de croître à ${knee.kneeUsers} utilisateurs (~${knee.peakRps} requêtes/s) alors que les utilisateurs ont continué jusqu’à ${knee.maxUsers}`,
        ),
        say(
          input,
          `p95 per second went from ${knee.p95Early} ms at the start of the ramp to ${knee.p95Late} ms at the end`,
          `le p95 par seconde est passé de ${knee.p95Early} ms au début de la rampe à ${knee.p95Late} ms à la fin`,
        ),
        ...(knee.capacityUsers !== undefined
          ? [
              say(
                input,
                `highest user count whose p95 met the threshold: ${knee.capacityUsers}`,
                `plus grand nombre d’utilisateurs dont le p95 respectait le seuil : ${knee.capacityUsers}`,
              ),
            ]
          : []),
        ...(peakCpu !== undefined
          ? [
              say(
                input,
                `${cpuOf ?? 'stack'} CPU peaked at ${peakCpu}% of one core${cpuBound ? ' (CPU-bound)' : ''}`,
                `le CPU ${cpuOf ? `du ${cpuOf}` : 'de la stack'} a culminé à ${peakCpu} % d’un cœur${cpuBound ? ' (limité par le CPU)' : ''}`,
              ),
            ]
          : []),
      ],
      actions: [
        {
          text: cpuBound
            ? say(
                input,
                'Profile the hot endpoint under load (CPU-bound: serialization, hashing, N+1 queries) or run more workers/replicas',
                'Profiler l’endpoint chaud sous charge (limité par le CPU : sérialisation, hachage, requêtes N+1) ou lancer plus de workers/réplicas',
              )
            : say(
                input,
                'Find the shared bottleneck (connection pool, lock, single worker, downstream call): throughput stops growing while the CPU is not full',
                'Trouver le goulet partagé (pool de connexions, verrou, worker unique, appel en aval) : le débit plafonne alors que le CPU n’est pas plein',
              ),
          priority: 'high',
          effort: '1 d',
        },
      ],
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
          say(
            input,
            'the smoke stage (1 user) passed: this only happens under load',
            'l’étape smoke (1 utilisateur) a réussi : cela n’arrive qu’en charge',
          ),
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

/** Below this much measured run time, the generator's CPU is start-up noise, not saturation. */
const GENERATOR_WINDOW_MS = 3000;

export const generatorSaturated: Rule = (input) => {
  const generator = input.result?.generator;
  // a smoke stage of one request measures the CPU over a fraction of a second of start-up
  if (!generator || (input.result?.durationMs ?? 0) < GENERATOR_WINDOW_MS) return [];
  const cpuBound = generator.cpuPercent >= 90;
  const lagging = generator.maxEventLoopLagMs >= 200;
  if (!cpuBound && !lagging) return [];
  const latencyFailed = p95Failed(input);
  return [
    {
      id: 'generator.saturated',
      title: say(
        input,
        'The load generator itself was saturated: its latencies include its own delay',
        'Le générateur de charge était lui-même saturé : ses latences incluent son propre retard',
      ),
      confidence: 0.7,
      priority: latencyFailed ? 'medium' : 'low',
      evidence: [
        say(
          input,
          `generator CPU ${generator.cpuPercent}% of one core`,
          `CPU du générateur ${generator.cpuPercent} % d’un cœur`,
        ),
        say(
          input,
          `worst event-loop delay ${generator.maxEventLoopLagMs} ms`,
          `pire retard de la boucle d’événements ${generator.maxEventLoopLagMs} ms`,
        ),
      ],
      actions: [
        {
          text: say(
            input,
            'Add think time, lower the users, or run the generator on more cores (the Locust engine in distributed mode)',
            'Ajouter du temps de réflexion, réduire les utilisateurs, ou répartir le générateur sur plus de cœurs (moteur Locust en mode distribué)',
          ),
          priority: latencyFailed ? 'medium' : 'low',
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
  return failed.map((t): Finding => ({
    id: 'latency.threshold',
    title: say(
      input,
      `p95 latency${t.scope === 'global' ? '' : ` of ${t.scope}`} is over its limit (${t.actual} ms, limit ${t.limit})`,
      `La latence p95${t.scope === 'global' ? '' : ` de ${t.scope}`} dépasse sa limite (${t.actual} ms, limite ${t.limit})`,
    ),
    confidence: 0.7,
    priority: 'medium',
    evidence: [
      say(input, `p95 ${t.actual} ms, limit ${t.limit}`, `p95 ${t.actual} ms, limite ${t.limit}`),
      ...slowest.map((e) =>
        say(
          input,
          `${e.name}: p95 ${e.latency.p95} ms over ${e.requests} requests`,
          `${e.name} : p95 ${e.latency.p95} ms sur ${e.requests} requêtes`,
        ),
      ),
    ],
    actions: [
      {
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
