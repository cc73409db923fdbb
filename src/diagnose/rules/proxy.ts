import { STATUS_CODES } from 'node:http';
import type { ErrorGroup } from '../../model/run-result.js';
import type {
  NginxLimitFacts,
  UpstreamTimeoutFacts,
  UpstreamUnreachableFacts,
} from '../../report/finding-words/proxy.js';
import { w, type FindingFacts, type Words } from '../../report/finding-words/words.js';
import {
  endpointViews,
  evidenceLogLines,
  excerpt,
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

/** "GET /items: 40 of 100 requests (40%) got nginx's own 502 page in the ramp stage". */
function countLine(f: ProxyFailures): Words {
  return w('proxy.page-count', {
    endpoint: f.view.stats.name,
    proxy: f.proxy,
    status: f.status,
    count: f.count,
    requests: f.view.stats.requests,
    stage: f.view.stage.name,
  });
}

/** When the first of these pages came, and the load then (none without a timeline). */
function firstAt(f: ProxyFailures): Words[] {
  const second = f.group.firstSecond;
  const point = second !== undefined ? f.view.stage.timeline[second] : undefined;
  if (second === undefined || !point) return [];
  return [
    w('proxy.first-page', {
      stage: f.view.stage.name,
      second: second + 1,
      users: point.users,
      rps: point.rps,
    }),
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
  const all = first.count === first.view.stats.requests;
  const facts: UpstreamUnreachableFacts = {
    proxy: first.proxy,
    status: first.status,
    endpoint: first.view.stats.name,
    cause: refused ? 'refused' : closed ? 'closed' : undefined,
    upstream: /upstream: "([^"]+)"/.exec(line ?? '')?.[1],
  };
  const finding: FindingFacts = {
    id: 'proxy.upstream-unreachable',
    title: w('proxy.upstream-unreachable.title', facts),
    confidence: log.length > 0 ? 0.9 : 0.75,
    priority: all || first.view.stage.name === 'smoke' ? 'high' : 'medium',
    evidence: [
      ...failures.slice(0, 3).map(countLine),
      w('common.response-body', { body: excerpt(first.group.sample.response?.body) }),
      ...firstAt(first),
      ...log.slice(-3).map((l) => w('common.log-line', { line: l })),
    ],
    actions: [
      { text: w('proxy.upstream-unreachable.action', facts), priority: 'high', effort: '15 min' },
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
  const facts: NginxLimitFacts = {
    endpoint: first.view.stats.name,
    directive: log.some((l) => /limiting connections/i.test(l)) ? 'limit_conn' : 'limit_req',
    zone: /by zone "([^"]+)"/.exec(log[0] ?? '')?.[1],
  };
  return [
    {
      // the id 429s have too (rules/http.ts): a limit, whoever sets it
      id: 'rate-limited',
      title: w('rate-limited.nginx.title', facts),
      confidence: log.length > 0 ? 0.92 : 0.7,
      priority: 'high',
      evidence: [
        ...failures.slice(0, 3).map(countLine),
        ...firstAt(first),
        ...log.slice(-2).map((line) => w('common.log-line', { line: line })),
        w('rate-limited.nginx.status', facts),
      ],
      actions: [
        { text: w('rate-limited.nginx.action', facts), priority: 'high', effort: '15 min' },
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
  const { p50, p95, max } = first.view.stats.latency;
  const facts: UpstreamTimeoutFacts = {
    proxy: first.proxy,
    endpoint: first.view.stats.name,
    status: 504,
    reason: STATUS_CODES[504] ?? '',
    latency: { p50, p95, max },
  };
  return [
    {
      id: 'proxy.upstream-timeout',
      title: w('proxy.upstream-timeout.title', facts),
      confidence: log.length > 0 ? 0.9 : 0.8,
      priority: 'high',
      evidence: [
        ...failures.slice(0, 3).map(countLine),
        w('proxy.upstream-timeout.latency', facts),
        ...firstAt(first),
        ...log.slice(-2).map((line) => w('common.log-line', { line: line })),
      ],
      actions: [
        { text: w('proxy.upstream-timeout.action', facts), priority: 'high', effort: '1 h' },
      ],
    },
  ];
};
