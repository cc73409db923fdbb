import { STATUS_CODES } from 'node:http';
import type { StatusFacts } from '../../report/finding-words/http.js';
import { quote, w, type FindingFacts, type Words } from '../../report/finding-words/words.js';
import {
  countStatus,
  endpointViews,
  errorLogLines,
  evidenceLogLines,
  excerpt,
  failureOnsetNote,
  failureWindow,
  firstResponseBody,
  loadOnlyNote,
  type DiagnoseInput,
  type EndpointView,
  type Rule,
} from '../context.js';
import { proxyFailures } from './proxy.js';

/** An endpoint's status with HTTP's own reason phrase: `GET /items`, 404, `Not Found`. */
function answers(v: EndpointView, status: number): StatusFacts {
  return { endpoint: v.stats.name, status, reason: STATUS_CODES[status] ?? '' };
}

/** One finding per endpoint (three at most) that got one of `statuses`. */
function statusFindings(
  input: DiagnoseInput,
  id: string,
  statuses: (s: number) => boolean,
  title: (v: EndpointView) => Words,
  action: (v: EndpointView) => Words,
  extraEvidence: (v: EndpointView) => Words[] = () => [],
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
          w('http.status-count', { count, requests: v.stats.requests, stage: v.stage.name }),
          w('common.response-body', { body: excerpt(firstResponseBody(v, statuses)) }),
          ...loadOnlyNote(v),
          ...failureOnsetNote(v, (g) => g.status !== undefined && statuses(g.status)),
          ...extraEvidence(v),
        ],
        actions: [{ text: action(v), priority: all ? 'high' : 'medium', effort: '15 min' }],
      };
    });
}

/** 404s: the step's path, or the base URL, is wrong. */
export const notFound: Rule = (input) =>
  statusFindings(
    input,
    'http.not-found',
    (s) => s === 404,
    (v) => w('http.answers', answers(v, 404)),
    (v) =>
      w('http.not-found.action', {
        endpoint: v.stats.name,
        stepPath: v.stepPath,
        target: input.config?.target,
      }),
  );

/** 405s: the step uses a method the API does not declare for the path. */
export const methodNotAllowed: Rule = (input) =>
  statusFindings(
    input,
    'http.method-not-allowed',
    (s) => s === 405,
    (v) => w('http.answers', answers(v, 405)),
    (v) => w('http.method-not-allowed.action', { endpoint: v.stats.name, stepPath: v.stepPath }),
  );

/** 429s: the API (or a gateway) limits the rate; say at which load it began. */
export const rateLimited: Rule = (input) =>
  statusFindings(
    input,
    'rate-limited',
    (s) => s === 429,
    (v) => w('rate-limited.title', answers(v, 429)),
    () => w('rate-limited.action'),
    (v) => {
      const group = v.stats.errors.find((e) => e.status === 429);
      const retryAfter = group?.sample.response?.headers['retry-after'];
      return retryAfter ? [quote(`Retry-After: ${retryAfter}`)] : [];
    },
  );

const DATABASE_LOG =
  /OperationalError|ECONNREFUSED[^\n]*:(5432|3306|27017|6379)|too many (connections|clients)|connection pool|could not connect to (the )?(database|server)|QueuePool limit|deadlock detected/i;

/**
 * SQLite's own refusal: another connection holds the write lock (sqlite3, PDO, node:sqlite,
 * SQLite3::BusyException, SQLITE_BUSY). SQLite has no connection pool to size.
 */
const SQLITE_LOCKED_LOG = /database (table )?is locked|SQLITE_BUSY|BusyException/i;

/** "GET /items: 12 of 40 requests answered 5xx in the ramp stage (p95 1002 ms)". */
function serverErrorCount(v: EndpointView, withP95 = false): Words {
  return w('database.server-errors', {
    endpoint: v.stats.name,
    count: countStatus(v.stats, (s) => s >= 500),
    requests: v.stats.requests,
    stage: v.stage.name,
    p95: withP95 ? v.stats.latency.p95 : undefined,
  });
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
      title: w('database.pool-exhausted.title', {
        size: size ? { connections: Number(size[1]) + Number(size[2]), users } : undefined,
      }),
      confidence: 0.93,
      priority: 'high',
      evidence: [
        ...failing.slice(0, 3).map((v) => serverErrorCount(v, true)),
        ...loadOnlyNote(first),
        ...lines.slice(-2).map((line) => w('common.log-line', { line: line })),
      ],
      actions: [{ text: w('database.pool-exhausted.action'), priority: 'high', effort: '1 h' }],
    },
  ];
};

/** 5xx while the stack's log says SQLite's database is locked: one writer at a time. */
export const databaseLocked: Rule = (input) => {
  const failing = endpointViews(input).filter((v) => countStatus(v.stats, (s) => s >= 500) > 0);
  const first = failing[0];
  if (!first) return [];
  const lines = evidenceLogLines(
    input,
    failureWindow(first, (g) => g.status !== undefined && g.status >= 500),
  ).filter((line) => SQLITE_LOCKED_LOG.test(line));
  if (lines.length === 0) return [];
  return [
    {
      id: 'database.locked',
      title: w('database.locked.title', { endpoint: first.stats.name }),
      confidence: 0.9,
      priority: 'high',
      evidence: [
        ...failing.slice(0, 3).map((v) => serverErrorCount(v)),
        ...loadOnlyNote(first),
        ...lines.slice(-2).map((line) => w('common.log-line', { line: line })),
      ],
      actions: [
        {
          text: first.loadOnly
            ? w('database.locked.concurrent-writes')
            : w('database.locked.held-lock'),
          priority: 'high',
          effort: '1 h',
        },
      ],
    },
  ];
};

/** 5xx with database errors in the stack log. */
export const databaseUnavailable: Rule = (input) => {
  if (poolExhausted(input).length > 0 || databaseLocked(input).length > 0) return [];
  const lines = evidenceLogLines(input).filter((line) => DATABASE_LOG.test(line));
  if (lines.length === 0) return [];
  const failing = endpointViews(input).filter((v) => countStatus(v.stats, (s) => s >= 500) > 0);
  if (failing.length === 0) return [];
  const first = failing[0] as EndpointView;
  return [
    {
      id: 'database.unavailable',
      title: w('database.unavailable.title'),
      confidence: 0.85,
      priority: 'high',
      evidence: [
        ...failing.slice(0, 3).map((v) => serverErrorCount(v)),
        ...loadOnlyNote(first),
        ...lines.slice(-3).map((line) => w('common.log-line', { line: line })),
      ],
      actions: [
        {
          // under load only: the pool; from the first request: the database itself
          text: first.loadOnly
            ? w('database.unavailable.size-pool')
            : w('database.unavailable.check-database'),
          priority: 'high',
          effort: '1 h',
        },
      ],
    },
  ];
};

/** Other 5xx: server errors the app made, with the log lines that look like their cause. */
export const serverErrors: Rule = (input) => {
  if (
    databaseUnavailable(input).length > 0 ||
    poolExhausted(input).length > 0 ||
    databaseLocked(input).length > 0
  )
    return [];
  // a proxy's own 502/503/504 is explained by the proxy rules, not as the app's error
  const byProxy = new Set(proxyFailures(input).map((f) => f.status));
  return statusFindings(
    input,
    'server.errors',
    (s) => s >= 500 && !byProxy.has(s),
    (v) => w('server.errors.title', { endpoint: v.stats.name }),
    () => w('server.errors.action'),
    // the log from the first 5xx on: a start-up warning explains nothing
    (v) =>
      errorLogLines(
        input,
        3,
        failureWindow(v, (g) => g.status !== undefined && g.status >= 500),
      ).map((line) => w('common.log-line', { line: line })),
  );
};
