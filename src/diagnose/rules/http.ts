import type { FindingFacts } from '../../report/finding-words/words.js';
import {
  fr,
  countStatus,
  endpointViews,
  errorLogLines,
  evidenceLogLines,
  excerpt,
  failureOnsetNote,
  failureWindow,
  firstResponseBody,
  loadOnlyNote,
  percent,
  say,
  type DiagnoseInput,
  type EndpointView,
  type Rule,
} from '../context.js';
import { proxyFailures } from './proxy.js';

function statusFindings(
  input: DiagnoseInput,
  id: string,
  statuses: (s: number) => boolean,
  title: (v: EndpointView) => string,
  action: (v: EndpointView) => string,
  extraEvidence: (v: EndpointView) => string[] = () => [],
): FindingFacts[] {
  return endpointViews(input)
    .filter((v) => countStatus(v.stats, statuses) > 0)
    .slice(0, 3)
    .map((v) => {
      const count = countStatus(v.stats, statuses);
      const all = count === v.stats.requests;
      return {
        id,
        title: title(v),
        confidence: all ? 0.85 : 0.6,
        priority: all ? 'high' : 'medium',
        evidence: [
          say(
            input,
            `${count} of ${v.stats.requests} requests (${percent(count, v.stats.requests)}) in the ${v.stage.name} stage`,
            `${count} ${fr(count, 'requête', 'requêtes')} sur ${v.stats.requests} (${percent(count, v.stats.requests)}) à l’étape ${v.stage.name}`,
          ),
          `${say(input, 'response body: ', 'corps de la réponse : ')}${excerpt(firstResponseBody(v, statuses))}`,
          ...loadOnlyNote(v),
          ...failureOnsetNote(v, (g) => g.status !== undefined && statuses(g.status)),
          ...extraEvidence(v),
        ],
        actions: [{ text: action(v), priority: all ? 'high' : 'medium', effort: '15 min' }],
      };
    });
}

export const notFound: Rule = (input) =>
  statusFindings(
    input,
    'http.not-found',
    (s) => s === 404,
    (v) =>
      say(input, `${v.stats.name} answers 404 Not Found`, `${v.stats.name} répond 404 Not Found`),
    (v) =>
      say(
        input,
        v.stepPath
          ? `Check the path of \`${v.stepPath}.request.url\` and the base URL (target: ${input.config?.target ?? '?'})`
          : `Check the path of ${v.stats.name} in the locustfile and the base URL (target: ${input.config?.target ?? '?'})`,
        v.stepPath
          ? `Vérifier le chemin de \`${v.stepPath}.request.url\` et l’URL de base (target : ${input.config?.target ?? '?'})`
          : `Vérifier le chemin de ${v.stats.name} dans le locustfile et l’URL de base (target : ${input.config?.target ?? '?'})`,
      ),
  );

export const methodNotAllowed: Rule = (input) =>
  statusFindings(
    input,
    'http.method-not-allowed',
    (s) => s === 405,
    (v) =>
      say(
        input,
        `${v.stats.name} answers 405 Method Not Allowed`,
        `${v.stats.name} répond 405 Method Not Allowed`,
      ),
    (v) =>
      say(
        input,
        v.stepPath
          ? `Use the method the API declares for this path in \`${v.stepPath}.request.method\` (see the Allow header)`
          : `Use the method the API declares for ${v.stats.name} in the locustfile (see the Allow header)`,
        v.stepPath
          ? `Utiliser la méthode déclarée par l’API pour ce chemin dans \`${v.stepPath}.request.method\` (voir l’en-tête Allow)`
          : `Utiliser la méthode déclarée par l’API pour ${v.stats.name} dans le locustfile (voir l’en-tête Allow)`,
      ),
  );

/** 429s: the API (or a gateway) limits the rate; say at which load it began. */
export const rateLimited: Rule = (input) =>
  statusFindings(
    input,
    'rate-limited',
    (s) => s === 429,
    (v) =>
      say(
        input,
        `${v.stats.name} is rate-limited (429 Too Many Requests)`,
        `${v.stats.name} est limité en débit (429 Too Many Requests)`,
      ),
    () =>
      say(
        input,
        'Exempt the load-test client from rate limiting in the test stack (or raise the limit there), or lower `stages.ramp.users` to the load the limit allows',
        'Exempter le client de test de la limitation de débit dans la stack de test (ou relever la limite), ou réduire `stages.ramp.users` à la charge autorisée',
      ),
    (v) => {
      const group = v.stats.errors.find((e) => e.status === 429);
      const retryAfter = group?.sample.response?.headers['retry-after'];
      return retryAfter ? [`Retry-After: ${retryAfter}`] : [];
    },
  );

const DATABASE_LOG =
  /OperationalError|ECONNREFUSED[^\n]*:(5432|3306|27017|6379)|too many (connections|clients)|database is locked|connection pool|could not connect to (the )?(database|server)|QueuePool limit|deadlock detected/i;

/** "GET /items: 12 of 40 requests answered 5xx in the ramp stage (p95 1002 ms)". */
function serverErrorCount(input: DiagnoseInput, v: EndpointView, withP95 = false): string {
  const n = countStatus(v.stats, (s) => s >= 500);
  const p95 = withP95 ? ` (p95 ${v.stats.latency.p95} ms)` : '';
  return say(
    input,
    `${v.stats.name}: ${n} of ${v.stats.requests} requests answered 5xx in the ${v.stage.name} stage${p95}`,
    `${v.stats.name} : ${n} ${fr(n, 'requête', 'requêtes')} sur ${v.stats.requests} ${fr(n, 'a', 'ont')} reçu 5xx à l’étape ${v.stage.name}${p95}`,
  );
}

/** The app's connection pool ran dry: SQLAlchemy, HikariCP, node-postgres, generic. */
const POOL_LOG =
  /QueuePool limit of size \d+ overflow \d+ reached|Connection is not available, request timed out|timeout exceeded when trying to connect|pool (is )?exhausted|(acquire|checkout) .*timed? ?out.*pool|pool.*(acquire|checkout).*timed? ?out/i;

/** 5xx (the app's, or a proxy's 504) while the app's log says its connection pool ran dry. */
export const poolExhausted: Rule = (input) => {
  const lines = evidenceLogLines(input).filter((line) => POOL_LOG.test(line));
  if (lines.length === 0) return [];
  const failing = endpointViews(input).filter((v) => countStatus(v.stats, (s) => s >= 500) > 0);
  const first = failing[0];
  if (!first) return [];
  const size = /QueuePool limit of size (\d+) overflow (\d+)/.exec(lines[0] ?? '');
  const users = Math.max(...failing.map((v) => v.stage.peakUsers));
  return [
    {
      id: 'database.pool-exhausted',
      title: say(
        input,
        `The app's database connection pool is exhausted${size ? ` (${Number(size[1]) + Number(size[2])} connections for ${users} users)` : ''}: requests wait for a connection and fail`,
        `Le pool de connexions à la base de l’application est épuisé${size ? ` (${Number(size[1]) + Number(size[2])} connexions pour ${users} utilisateurs)` : ''} : les requêtes attendent une connexion et échouent`,
      ),
      confidence: 0.93,
      priority: 'high',
      evidence: [
        ...failing.slice(0, 3).map((v) => serverErrorCount(input, v, true)),
        ...loadOnlyNote(first),
        ...lines.slice(-2).map((line) => `log: ${line}`),
      ],
      actions: [
        {
          text: say(
            input,
            'Shorten what holds a connection (the slow query or the work done inside a transaction) and size the pool for the concurrency (SQLAlchemy `pool_size` + `max_overflow`, within the database’s `max_connections`)',
            'Raccourcir ce qui garde une connexion (la requête lente, le travail fait dans une transaction) et dimensionner le pool pour la concurrence (SQLAlchemy `pool_size` + `max_overflow`, dans la limite de `max_connections` de la base)',
          ),
          priority: 'high',
          effort: '1 h',
        },
      ],
    },
  ];
};

/** 5xx with database errors in the stack log. */
export const databaseUnavailable: Rule = (input) => {
  if (poolExhausted(input).length > 0) return [];
  const lines = evidenceLogLines(input).filter((line) => DATABASE_LOG.test(line));
  if (lines.length === 0) return [];
  const failing = endpointViews(input).filter((v) => countStatus(v.stats, (s) => s >= 500) > 0);
  if (failing.length === 0) return [];
  const first = failing[0] as EndpointView;
  return [
    {
      id: 'database.unavailable',
      title: say(
        input,
        'The API fails because its database is unavailable or exhausted',
        'L’API échoue parce que sa base de données est indisponible ou saturée',
      ),
      confidence: 0.85,
      priority: 'high',
      evidence: [
        ...failing.slice(0, 3).map((v) => serverErrorCount(input, v)),
        ...loadOnlyNote(first),
        ...lines.slice(-3).map((line) => `log: ${line}`),
      ],
      actions: [
        {
          text: say(
            input,
            first.loadOnly
              ? 'Size the connection pool for the load (pool size vs. max connections of the database) and check that connections are returned'
              : 'Check that the database starts with the stack and that the API’s database URL points at it (host, port, credentials)',
            first.loadOnly
              ? 'Dimensionner le pool de connexions pour la charge (taille du pool vs. connexions max de la base) et vérifier que les connexions sont rendues'
              : 'Vérifier que la base démarre avec la stack et que l’URL de base de l’API pointe vers elle (hôte, port, identifiants)',
          ),
          priority: 'high',
          effort: '1 h',
        },
      ],
    },
  ];
};

/** Other 5xx: server errors the app made, with the log lines that look like their cause. */
export const serverErrors: Rule = (input) => {
  if (databaseUnavailable(input).length > 0 || poolExhausted(input).length > 0) return [];
  // a proxy's own 502/503/504 is explained by the proxy rules, not as the app's error
  const byProxy = new Set(proxyFailures(input).map((f) => f.status));
  return statusFindings(
    input,
    'server.errors',
    (s) => s >= 500 && !byProxy.has(s),
    (v) =>
      say(
        input,
        `${v.stats.name} fails with server errors (5xx)`,
        `${v.stats.name} échoue avec des erreurs serveur (5xx)`,
      ),
    () =>
      say(
        input,
        'Read the stack log around the first 5xx and fix the error it shows',
        'Lire le journal de la stack autour de la première 5xx et corriger l’erreur indiquée',
      ),
    // the log from the first 5xx on: a start-up warning explains nothing
    (v) =>
      errorLogLines(
        input,
        3,
        failureWindow(v, (g) => g.status !== undefined && g.status >= 500),
      ).map((line) => `log: ${line}`),
  );
};
