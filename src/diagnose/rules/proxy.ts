import type { ErrorGroup } from '../../model/run-result.js';
import type { FindingFacts } from '../../report/finding-words/words.js';
import {
  endpointViews,
  evidenceLogLines,
  excerpt,
  fr,
  percent,
  say,
  type DiagnoseInput,
  type EndpointView,
  type Rule,
} from '../context.js';
import {
  proxyLogCause,
  proxyMadeResponse,
  type ProxyLogCause,
  type ProxyName,
} from '../proxy-signature.js';

/** An endpoint's failures that a reverse proxy made itself, by status. */
interface ProxyFailures {
  view: EndpointView;
  proxy: ProxyName;
  status: number;
  count: number;
  group: ErrorGroup;
}

/** Every endpoint × status whose error sample is a proxy's own page. */
export function proxyFailures(input: DiagnoseInput): ProxyFailures[] {
  const found: ProxyFailures[] = [];
  for (const view of endpointViews(input)) {
    for (const group of view.stats.errors) {
      const proxy = proxyMadeResponse(group.sample.response);
      if (!proxy || group.status === undefined) continue;
      const same = found.find((f) => f.view === view && f.status === group.status);
      if (same) same.count += group.count;
      else found.push({ view, proxy, status: group.status, count: group.count, group });
    }
  }
  return found;
}

/** Proxy log lines of the run's window with the cause each names. */
function proxyLog(input: DiagnoseInput, causes: ProxyLogCause[]): string[] {
  return evidenceLogLines(input).filter((line) => {
    const cause = proxyLogCause(line);
    return cause !== undefined && causes.includes(cause);
  });
}

function countLine(input: DiagnoseInput, f: ProxyFailures): string {
  const total = f.view.stats.requests;
  return say(
    input,
    `${f.view.stats.name}: ${f.count} of ${total} requests (${percent(f.count, total)}) got ${f.proxy}'s own ${f.status} page in the ${f.view.stage.name} stage`,
    `${f.view.stats.name} : ${f.count} ${fr(f.count, 'requête', 'requêtes')} sur ${total} (${percent(f.count, total)}) ${fr(f.count, 'a reçu', 'ont reçu')} la page ${f.status} de ${f.proxy} lui-même à l’étape ${f.view.stage.name}`,
  );
}

function firstAt(input: DiagnoseInput, f: ProxyFailures): string[] {
  const second = f.group.firstSecond;
  const point = second !== undefined ? f.view.stage.timeline[second] : undefined;
  if (!point) return [];
  return [
    say(
      input,
      `the first came in second ${second! + 1} of the ${f.view.stage.name}, with ${point.users} users at ${point.rps} requests/s`,
      `la première est arrivée à la seconde ${second! + 1} de l’étape ${f.view.stage.name}, avec ${point.users} utilisateurs à ${point.rps} requêtes/s`,
    ),
  ];
}

/** 502 (and 503 "no server available") made by the proxy: it could not reach the app. */
export const proxyUpstreamUnreachable: Rule = (input) => {
  const failures = proxyFailures(input).filter(
    (f) =>
      f.status === 502 ||
      (f.status === 503 &&
        f.proxy !== 'nginx' &&
        /no server is available|no healthy upstream/i.test(f.group.sample.response?.body ?? '')),
  );
  const first = failures[0];
  if (!first) return [];
  const log = proxyLog(input, ['upstream-refused', 'upstream-unreachable', 'upstream-closed']);
  const refused = log.some((l) => proxyLogCause(l) === 'upstream-refused');
  const closed = log.some((l) => proxyLogCause(l) === 'upstream-closed');
  // the line of the failing request if the log has one (others may be loadgate's own probes)
  const path = first.view.stats.name.split(' ')[1];
  const named = log.filter((l) => /upstream: "/.test(l));
  const line = named.find((l) => path !== undefined && l.includes(` ${path} `)) ?? named[0];
  const upstream = /upstream: "([^"]+)"/.exec(line ?? '')?.[1];
  const all = first.count === first.view.stats.requests;
  const finding: FindingFacts = {
    id: 'proxy.upstream-unreachable',
    title: say(
      input,
      `${first.proxy} answers ${first.status} for ${first.view.stats.name}: it cannot reach the app behind it${refused ? ' (connection refused)' : closed ? ' (the app closed the connection)' : ''}`,
      `${first.proxy} répond ${first.status} pour ${first.view.stats.name} : il n’atteint pas l’application derrière lui${refused ? ' (connexion refusée)' : closed ? ' (l’application a fermé la connexion)' : ''}`,
    ),
    confidence: log.length > 0 ? 0.9 : 0.75,
    priority: all || first.view.stage.name === 'smoke' ? 'high' : 'medium',
    evidence: [
      ...failures.slice(0, 3).map((f) => countLine(input, f)),
      `${say(input, 'response body: ', 'corps de la réponse : ')}${excerpt(first.group.sample.response?.body)}`,
      ...firstAt(input, first),
      ...log.slice(-3).map((line) => `log: ${line}`),
    ],
    actions: [
      {
        text: say(
          input,
          `Check that the app runs and listens where ${first.proxy} sends requests${upstream ? ` (${upstream})` : ''}: the upstream host and port in the proxy config against the address in the app's log; under load only, look for the app closing connections (worker crash, timeouts, keep-alive shorter than the proxy's)`,
          `Vérifier que l’application tourne et écoute là où ${first.proxy} envoie les requêtes${upstream ? ` (${upstream})` : ''} : hôte et port de l’upstream dans la config du proxy face à l’adresse dans le journal de l’application ; en charge seulement, chercher ce qui ferme les connexions (crash d’un worker, délais, keep-alive plus court que celui du proxy)`,
        ),
        priority: 'high',
        effort: '15 min',
      },
    ],
  };
  return [finding];
};

/** 503 from nginx's own page: `limit_req` / `limit_conn` (nginx answers 503 by default). */
export const proxyRateLimited: Rule = (input) => {
  const failures = proxyFailures(input).filter((f) => f.status === 503 && f.proxy === 'nginx');
  const first = failures[0];
  if (!first) return [];
  const log = proxyLog(input, ['rate-limit']);
  const zone = /by zone "([^"]+)"/.exec(log[0] ?? '')?.[1];
  const connections = log.some((l) => /limiting connections/i.test(l));
  const directive = connections ? 'limit_conn' : 'limit_req';
  return [
    {
      id: 'rate-limited',
      title: say(
        input,
        `nginx's rate limiter (${directive}${zone ? ` zone "${zone}"` : ''}) rejects ${first.view.stats.name} with 503: the app never saw these requests`,
        `Le limiteur de débit de nginx (${directive}${zone ? ` zone "${zone}"` : ''}) rejette ${first.view.stats.name} avec 503 : l’application n’a jamais vu ces requêtes`,
      ),
      confidence: log.length > 0 ? 0.92 : 0.7,
      priority: 'high',
      evidence: [
        ...failures.slice(0, 3).map((f) => countLine(input, f)),
        ...firstAt(input, first),
        ...log.slice(-2).map((line) => `log: ${line}`),
        say(
          input,
          `nginx answers 503 for ${directive} unless \`${directive}_status\` says otherwise: it is a limit, not a server error`,
          `nginx répond 503 pour ${directive} sauf si \`${directive}_status\` dit autre chose : c’est une limite, pas une erreur serveur`,
        ),
      ],
      actions: [
        {
          text: say(
            input,
            `In the test stack's nginx config, raise \`${directive}\`${zone ? ` (zone ${zone})` : ''} (rate, burst) or exempt the load-test client (a \`geo\`/\`map\` giving it an empty key), and set \`${directive}_status 429;\` so a limit is not read as a server error; or lower \`stages.ramp.users\` to the load the limit allows`,
            `Dans la config nginx de la stack de test, relever \`${directive}\`${zone ? ` (zone ${zone})` : ''} (rate, burst) ou exempter le client de test (un \`geo\`/\`map\` qui lui donne une clé vide), et mettre \`${directive}_status 429;\` pour qu’une limite ne passe pas pour une erreur serveur ; ou réduire \`stages.ramp.users\` à la charge autorisée`,
          ),
          priority: 'high',
          effort: '15 min',
        },
      ],
    },
  ];
};

/** 504 made by the proxy: the app answered slower than the proxy's read timeout. */
export const proxyUpstreamTimeout: Rule = (input) => {
  const failures = proxyFailures(input).filter((f) => f.status === 504);
  const first = failures[0];
  if (!first) return [];
  const log = proxyLog(input, ['upstream-timeout']);
  const latency = first.view.stats.latency;
  const setting =
    first.proxy === 'nginx'
      ? '`proxy_read_timeout` (60 s by default)'
      : first.proxy === 'Envoy'
        ? 'the route `timeout` (15 s by default)'
        : first.proxy === 'HAProxy'
          ? '`timeout server`'
          : first.proxy === 'Traefik'
            ? '`respondingTimeouts` / `forwardingTimeouts`'
            : 'the reverse_proxy `read_timeout`';
  return [
    {
      id: 'proxy.upstream-timeout',
      title: say(
        input,
        `${first.proxy} gave up waiting for the app on ${first.view.stats.name} (504 Gateway Timeout)`,
        `${first.proxy} a cessé d’attendre l’application sur ${first.view.stats.name} (504 Gateway Timeout)`,
      ),
      confidence: log.length > 0 ? 0.9 : 0.8,
      priority: 'high',
      evidence: [
        ...failures.slice(0, 3).map((f) => countLine(input, f)),
        say(
          input,
          `latency of ${first.view.stats.name}: p50 ${latency.p50} ms, p95 ${latency.p95} ms, max ${latency.max} ms: the 504s came at the proxy's timeout`,
          `latence de ${first.view.stats.name} : p50 ${latency.p50} ms, p95 ${latency.p95} ms, max ${latency.max} ms : les 504 sont tombées au délai du proxy`,
        ),
        ...firstAt(input, first),
        ...log.slice(-2).map((line) => `log: ${line}`),
      ],
      actions: [
        {
          text: say(
            input,
            `Find what makes ${first.view.stats.name} slower than ${first.proxy}'s ${setting} (the app's log and the database findings below: a slow query, an exhausted connection pool) and fix that; raise the timeout only if such a wait is expected`,
            `Trouver ce qui rend ${first.view.stats.name} plus lent que ${setting} de ${first.proxy} (journal de l’application et constats sur la base ci-dessous : requête lente, pool de connexions épuisé) et le corriger ; n’augmenter le délai que si une telle attente est normale`,
          ),
          priority: 'high',
          effort: '1 h',
        },
      ],
    },
  ];
};
