/** The sentences of the `proxy` rules (src/diagnose/rules/proxy.ts), in each locale. */
import { ofTotal, pct } from '../format-values.js';
import { plural } from './common.js';
import type { StatusFacts } from './http.js';

/** The reverse proxies whose own error responses loadgate recognises (and whose settings it names). */
export type ProxyName = 'nginx' | 'Envoy' | 'HAProxy' | 'Traefik' | 'Caddy';

/** An endpoint's requests that got a reverse proxy's own error page, in a stage. */
export interface ProxyPageFacts {
  endpoint: string;
  proxy: ProxyName;
  status: number;
  /** Requests that got the page, of `requests`. */
  count: number;
  requests: number;
  stage: string;
}

/** When the proxy's first error page came: the stage's second (from 1) and the load then. */
export interface FirstPageFacts {
  stage: string;
  second: number;
  users: number;
  rps: number;
}

/** What `proxy.upstream-unreachable` is said from. */
export interface UpstreamUnreachableFacts {
  proxy: ProxyName;
  status: number;
  endpoint: string;
  /** What the proxy's log says of the connection to the app, when it says. */
  cause?: 'refused' | 'closed' | undefined;
  /** Where the proxy sends the requests, from its log (`http://172.18.0.3:8000/items`). */
  upstream?: string | undefined;
}

/** What the `rate-limited` finding on nginx's own 503 is said from. */
export interface NginxLimitFacts {
  endpoint: string;
  directive: 'limit_req' | 'limit_conn';
  /** The zone the log names. */
  zone?: string | undefined;
}

/** What `proxy.upstream-timeout` is said from. */
export interface UpstreamTimeoutFacts extends StatusFacts {
  proxy: ProxyName;
  /** The endpoint's latency, in ms. */
  latency: { p50: number; p95: number; max: number };
}

/** Each proxy's setting that times out waiting for the app, as `{proxy}'s …` says it. */
const TIMEOUT_SETTING: Record<ProxyName, string> = {
  nginx: '`proxy_read_timeout` (60 s by default)',
  Envoy: 'route `timeout` (15 s by default)',
  HAProxy: '`timeout server`',
  Traefik: '`respondingTimeouts` / `forwardingTimeouts`',
  Caddy: 'reverse_proxy `read_timeout`',
};

/** The same setting in French, with the proxy it belongs to. */
const TIMEOUT_SETTING_FR: Record<ProxyName, string> = {
  nginx: 'le `proxy_read_timeout` de nginx (60 s par défaut)',
  Envoy: 'le `timeout` de la route d’Envoy (15 s par défaut)',
  HAProxy: 'le `timeout server` de HAProxy',
  Traefik: 'les `respondingTimeouts` / `forwardingTimeouts` de Traefik',
  Caddy: 'le `read_timeout` du reverse_proxy de Caddy',
};

/** French elision: "de nginx", "d’Envoy". */
const of = (name: string) => (/^[aeiouy]/i.test(name) ? `d’${name}` : `de ${name}`);

const en = {
  'proxy.page-count': (a: ProxyPageFacts) =>
    `${a.endpoint}: ${ofTotal(a.count, a.requests)} (${pct(a.count, a.requests)}) got ${a.proxy}'s own ${a.status} page in the ${a.stage} stage`,
  'proxy.first-page': (a: FirstPageFacts) =>
    `the first came in second ${a.second} of the ${a.stage}, with ${a.users} users at ${a.rps} requests/s`,
  'proxy.upstream-unreachable.title': (a: UpstreamUnreachableFacts) =>
    `${a.proxy} answers ${a.status} for ${a.endpoint}: it cannot reach the app behind it${a.cause === 'refused' ? ' (connection refused)' : a.cause === 'closed' ? ' (the app closed the connection)' : ''}`,
  'proxy.upstream-unreachable.action': (a: UpstreamUnreachableFacts) =>
    `Check that the app runs and listens where ${a.proxy} sends requests${a.upstream ? ` (${a.upstream})` : ''}: the upstream host and port in the proxy config against the address in the app's log; under load only, look for the app closing connections (worker crash, timeouts, keep-alive shorter than the proxy's)`,
  'rate-limited.nginx.title': (a: NginxLimitFacts) =>
    `nginx's rate limiter (${a.directive}${a.zone ? ` zone "${a.zone}"` : ''}) rejects ${a.endpoint} with 503: the app never saw these requests`,
  'rate-limited.nginx.status': (a: NginxLimitFacts) =>
    `nginx answers 503 for ${a.directive} unless \`${a.directive}_status\` says otherwise: it is a limit, not a server error`,
  'rate-limited.nginx.action': (a: NginxLimitFacts) =>
    `In the test stack's nginx config, raise \`${a.directive}\`${a.zone ? ` (zone ${a.zone})` : ''} (rate, burst) or exempt the load-test client (a \`geo\`/\`map\` giving it an empty key), and set \`${a.directive}_status 429;\` so a limit is not read as a server error; or lower \`stages.ramp.users\` to the load the limit allows`,
  'proxy.upstream-timeout.title': (a: UpstreamTimeoutFacts) =>
    `${a.proxy} gave up waiting for the app on ${a.endpoint} (${a.status} ${a.reason})`,
  'proxy.upstream-timeout.latency': (a: UpstreamTimeoutFacts) =>
    `latency of ${a.endpoint}: p50 ${a.latency.p50} ms, p95 ${a.latency.p95} ms, max ${a.latency.max} ms: the ${a.status}s came at the proxy's timeout`,
  'proxy.upstream-timeout.action': (a: UpstreamTimeoutFacts) =>
    `Find what makes ${a.endpoint} slower than ${a.proxy}'s ${TIMEOUT_SETTING[a.proxy]} (the app's log and the database findings below: a slow query, an exhausted connection pool) and fix that; raise the timeout only if such a wait is expected`,
};

const fr: typeof en = {
  'proxy.page-count': (a) =>
    `${a.endpoint} : ${a.count} ${plural(a.count, 'requête', 'requêtes')} sur ${a.requests} (${pct(a.count, a.requests)}) ${plural(a.count, 'a reçu', 'ont reçu')} la page ${a.status} ${of(a.proxy)} lui-même à l’étape ${a.stage}`,
  'proxy.first-page': (a) =>
    `la première est arrivée à la seconde ${a.second} de l’étape ${a.stage}, avec ${a.users} ${plural(a.users, 'utilisateur', 'utilisateurs')} à ${a.rps} requêtes/s`,
  'proxy.upstream-unreachable.title': (a) =>
    `${a.proxy} répond ${a.status} pour ${a.endpoint} : il n’atteint pas l’application derrière lui${a.cause === 'refused' ? ' (connexion refusée)' : a.cause === 'closed' ? ' (l’application a fermé la connexion)' : ''}`,
  'proxy.upstream-unreachable.action': (a) =>
    `Vérifier que l’application tourne et écoute là où ${a.proxy} envoie les requêtes${a.upstream ? ` (${a.upstream})` : ''} : hôte et port de l’upstream dans la config du proxy face à l’adresse dans le journal de l’application ; en charge seulement, chercher ce qui ferme les connexions (crash d’un worker, délais, keep-alive plus court que celui du proxy)`,
  'rate-limited.nginx.title': (a) =>
    `Le limiteur de débit de nginx (${a.directive}${a.zone ? ` zone "${a.zone}"` : ''}) rejette ${a.endpoint} avec 503 : l’application n’a jamais vu ces requêtes`,
  'rate-limited.nginx.status': (a) =>
    `nginx répond 503 pour ${a.directive} sauf si \`${a.directive}_status\` dit autre chose : c’est une limite, pas une erreur serveur`,
  'rate-limited.nginx.action': (a) =>
    `Dans la config nginx de la stack de test, relever \`${a.directive}\`${a.zone ? ` (zone ${a.zone})` : ''} (rate, burst) ou exempter le client de test (un \`geo\`/\`map\` qui lui donne une clé vide), et mettre \`${a.directive}_status 429;\` pour qu’une limite ne passe pas pour une erreur serveur ; ou réduire \`stages.ramp.users\` à la charge autorisée`,
  'proxy.upstream-timeout.title': (a) =>
    `${a.proxy} a cessé d’attendre l’application sur ${a.endpoint} (${a.status} ${a.reason})`,
  'proxy.upstream-timeout.latency': (a) =>
    `latence de ${a.endpoint} : p50 ${a.latency.p50} ms, p95 ${a.latency.p95} ms, max ${a.latency.max} ms : les ${a.status} sont tombées au délai du proxy`,
  'proxy.upstream-timeout.action': (a) =>
    `Trouver ce qui rend ${a.endpoint} plus lent que ${TIMEOUT_SETTING_FR[a.proxy]} (journal de l’application et constats sur la base ci-dessous : requête lente, pool de connexions épuisé) et le corriger ; n’augmenter le délai que si une telle attente est normale`,
};

export const PROXY = { en, fr };
