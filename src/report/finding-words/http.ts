/** The sentences of the `http` rules (src/diagnose/rules/http.ts), in each locale. */
import { ofTotal, pct } from '../format-values.js';
import { plural } from './common.js';

/** An endpoint, and its step in loadgate.yml. */
export interface StepFacts {
  endpoint: string;
  /** Key path of the step in loadgate.yml (`scenario.tasks[0]`); none for a locustfile. */
  stepPath?: string | undefined;
}

/** What `http.not-found`'s action is said from. */
export interface NotFoundFacts extends StepFacts {
  /** The config's `target` (none without a config). */
  target?: string | undefined;
}

/** An endpoint answering a status, with HTTP's own reason phrase for it (`Not Found`). */
export interface StatusFacts {
  endpoint: string;
  status: number;
  reason: string;
}

/** How many of an endpoint's requests in a stage got the statuses a finding is about. */
export interface StatusCountFacts {
  count: number;
  requests: number;
  stage: string;
}

/** An endpoint's 5xx in a stage, as the database findings count them. */
export interface ServerErrorFacts extends StatusCountFacts {
  endpoint: string;
  /** The endpoint's p95 in ms, when the finding says it. */
  p95?: number | undefined;
}

/** What `database.pool-exhausted`'s title is said from. */
export interface PoolFacts {
  /** The pool's connections (size + overflow) against the peak users, when the log tells them. */
  size?: { connections: number; users: number } | undefined;
}

const code = (text: string) => `\`${text}\``;
const p95 = (a: ServerErrorFacts) => (a.p95 !== undefined ? ` (p95 ${a.p95} ms)` : '');

const en = {
  'http.answers': (a: StatusFacts) => `${a.endpoint} answers ${a.status} ${a.reason}`,
  'http.status-count': (a: StatusCountFacts) =>
    `${ofTotal(a.count, a.requests)} (${pct(a.count, a.requests)}) in the ${a.stage} stage`,
  'http.not-found.action': (a: NotFoundFacts) =>
    `Check the path of ${a.stepPath ? code(`${a.stepPath}.request.url`) : `${a.endpoint} in the locustfile`} and the base URL (target: ${a.target ?? '?'})`,
  'http.method-not-allowed.action': (a: StepFacts) =>
    `Use the method the API declares for ${a.stepPath ? `this path in ${code(`${a.stepPath}.request.method`)}` : `${a.endpoint} in the locustfile`} (see the Allow header)`,
  'rate-limited.title': (a: StatusFacts) =>
    `${a.endpoint} is rate-limited (${a.status} ${a.reason})`,
  'rate-limited.action': () =>
    'Exempt the load-test client from rate limiting in the test stack (or raise the limit there), or lower `stages.ramp.users` to the load the limit allows',
  'server.errors.title': (a: { endpoint: string }) =>
    `${a.endpoint} fails with server errors (5xx)`,
  'server.errors.action': () =>
    'Read the stack log around the first 5xx and fix the error it shows',
  'database.server-errors': (a: ServerErrorFacts) =>
    `${a.endpoint}: ${ofTotal(a.count, a.requests)} answered 5xx in the ${a.stage} stage${p95(a)}`,
  'database.pool-exhausted.title': (a: PoolFacts) =>
    `The app's database connection pool is exhausted${a.size ? ` (${a.size.connections} ${a.size.connections === 1 ? 'connection' : 'connections'} for ${a.size.users} users)` : ''}: requests wait for a connection and fail`,
  'database.pool-exhausted.action': () =>
    'Shorten what holds a connection (the slow query or the work done inside a transaction) and size the pool for the concurrency (SQLAlchemy `pool_size` + `max_overflow`, within the database’s `max_connections`)',
  'database.locked.title': (a: { endpoint: string }) =>
    `${a.endpoint} fails because its SQLite database is locked: another connection holds the write lock`,
  'database.locked.held-lock': () =>
    'Find what holds SQLite’s write lock from the first request on (a transaction left open, another process writing to the same file) and end it; SQLite lets one connection write at a time, so keep write transactions short and set a busy timeout',
  'database.locked.concurrent-writes': () =>
    'SQLite lets one connection write at a time: under concurrent writes, keep write transactions short, turn on WAL mode and a busy timeout, or move to a server database (PostgreSQL, MySQL)',
  'database.unavailable.title': () =>
    'The API fails because its database is unavailable or exhausted',
  'database.unavailable.size-pool': () =>
    'Size the connection pool for the load (pool size vs. max connections of the database) and check that connections are returned',
  'database.unavailable.check-database': () =>
    'Check that the database starts with the stack and that the API’s database URL points at it (host, port, credentials)',
};

const fr: typeof en = {
  'http.answers': (a) => `${a.endpoint} répond ${a.status} ${a.reason}`,
  'http.status-count': (a) =>
    `${a.count} ${plural(a.count, 'requête', 'requêtes')} sur ${a.requests} (${pct(a.count, a.requests)}) à l’étape ${a.stage}`,
  'http.not-found.action': (a) =>
    `Vérifier le chemin de ${a.stepPath ? code(`${a.stepPath}.request.url`) : `${a.endpoint} dans le locustfile`} et l’URL de base (${code('target')} : ${a.target ?? '?'})`,
  'http.method-not-allowed.action': (a) =>
    `Utiliser la méthode déclarée par l’API pour ${a.stepPath ? `ce chemin dans ${code(`${a.stepPath}.request.method`)}` : `${a.endpoint} dans le locustfile`} (voir l’en-tête Allow)`,
  'rate-limited.title': (a) => `${a.endpoint} est limité en débit (${a.status} ${a.reason})`,
  'rate-limited.action': () =>
    'Exempter le client de test de la limitation de débit dans la stack de test (ou relever la limite), ou réduire `stages.ramp.users` à la charge autorisée',
  'server.errors.title': (a) => `${a.endpoint} échoue avec des erreurs serveur (5xx)`,
  'server.errors.action': () =>
    'Lire le journal de la stack autour de la première 5xx et corriger l’erreur indiquée',
  'database.server-errors': (a) =>
    `${a.endpoint} : ${a.count} ${plural(a.count, 'requête', 'requêtes')} sur ${a.requests} ${plural(a.count, 'a', 'ont')} reçu 5xx à l’étape ${a.stage}${p95(a)}`,
  'database.pool-exhausted.title': (a) =>
    `Le pool de connexions à la base de l’application est épuisé${a.size ? ` (${a.size.connections} ${plural(a.size.connections, 'connexion', 'connexions')} pour ${a.size.users} ${plural(a.size.users, 'utilisateur', 'utilisateurs')})` : ''} : les requêtes attendent une connexion et échouent`,
  'database.pool-exhausted.action': () =>
    'Raccourcir ce qui garde une connexion (la requête lente, le travail fait dans une transaction) et dimensionner le pool pour la concurrence (SQLAlchemy `pool_size` + `max_overflow`, dans la limite de `max_connections` de la base)',
  'database.locked.title': (a) =>
    `${a.endpoint} échoue car sa base SQLite est verrouillée : une autre connexion tient le verrou d’écriture`,
  'database.locked.held-lock': () =>
    'Trouver ce qui tient le verrou d’écriture de SQLite dès la première requête (une transaction restée ouverte, un autre processus qui écrit dans le même fichier) et y mettre fin ; SQLite ne laisse écrire qu’une connexion à la fois : garder les transactions d’écriture courtes et fixer un délai d’attente (busy timeout)',
  'database.locked.concurrent-writes': () =>
    'SQLite ne laisse écrire qu’une connexion à la fois : sous écritures concurrentes, garder les transactions d’écriture courtes, activer le mode WAL et un délai d’attente (busy timeout), ou passer à une base serveur (PostgreSQL, MySQL)',
  'database.unavailable.title': () =>
    'L’API échoue parce que sa base de données est indisponible ou saturée',
  'database.unavailable.size-pool': () =>
    'Dimensionner le pool de connexions pour la charge (taille du pool vs. connexions max de la base) et vérifier que les connexions sont rendues',
  'database.unavailable.check-database': () =>
    'Vérifier que la base démarre avec la stack et que l’URL de base de l’API pointe vers elle (hôte, port, identifiants)',
};

export const HTTP = { en, fr };
