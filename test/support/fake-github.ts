import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  matchOperation,
  validateRequest,
  validateResponse,
  type MatchedOperation,
} from './github-openapi.js';

export interface FakeComment {
  id: number;
  body: string;
  user: { login: string; type: 'User' | 'Bot' };
  created_at: string;
  updated_at: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  status: number;
}

export interface FakeGitHub {
  url: string;
  comments: FakeComment[];
  requests: RecordedRequest[];
  /** Every request or response that does not match GitHub's OpenAPI description. */
  violations: string[];
  /** The next `times` requests to METHOD path answer `status` with a GitHub-style error. */
  failNext(method: string, path: string, status: number, times?: number): void;
  close(): Promise<void>;
}

const BOT = { login: 'github-actions[bot]', type: 'Bot' as const };

/**
 * A local stand-in for api.github.com: issue comments (list with Link pagination, create,
 * get, update), with in-memory state. Each request and each response it sends is checked
 * against GitHub's OpenAPI description; mismatches answer like GitHub (404/422) and are
 * recorded in `violations`.
 */
export async function startFakeGitHub(options: {
  owner: string;
  repo: string;
  issueNumber: number;
  seedComments?: number;
}): Promise<FakeGitHub> {
  let nextId = 1000;
  const clock = () =>
    new Date(Date.UTC(2026, 10, 23, 12, 0, nextId % 60)).toISOString().replace('.000Z', 'Z');
  const comments = new Map<number, { comment: FakeComment; issue: string }>();
  const issueKey = (owner: string, repo: string, issue: string | number) =>
    `${owner}/${repo}#${issue}`;
  for (let i = 0; i < (options.seedComments ?? 0); i++) {
    const id = nextId++;
    comments.set(id, {
      issue: issueKey(options.owner, options.repo, options.issueNumber),
      comment: {
        id,
        body: `comment ${i} from a reviewer`,
        user: { login: `reviewer${i % 7}`, type: 'User' },
        created_at: clock(),
        updated_at: clock(),
      },
    });
  }
  const requests: RecordedRequest[] = [];
  const violations: string[] = [];
  const failures: { method: string; path: string; status: number; times: number }[] = [];
  let base = '';

  const render = (owner: string, repo: string, issue: string, c: FakeComment) => ({
    id: c.id,
    node_id: `IC_kwDO${c.id}`,
    url: `${base}/repos/${owner}/${repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${issue}#issuecomment-${c.id}`,
    issue_url: `${base}/repos/${owner}/${repo}/issues/${issue}`,
    body: c.body,
    user: {
      login: c.user.login,
      id: c.user.type === 'Bot' ? 41898282 : 1000 + c.id,
      node_id: 'MDQ6VXNlcjE=',
      avatar_url: 'https://avatars.githubusercontent.com/u/1?v=4',
      gravatar_id: '',
      url: `${base}/users/${encodeURIComponent(c.user.login)}`,
      html_url: `https://github.com/${encodeURIComponent(c.user.login)}`,
      followers_url: `${base}/users/x/followers`,
      following_url: `${base}/users/x/following{/other_user}`,
      gists_url: `${base}/users/x/gists{/gist_id}`,
      starred_url: `${base}/users/x/starred{/owner}{/repo}`,
      subscriptions_url: `${base}/users/x/subscriptions`,
      organizations_url: `${base}/users/x/orgs`,
      repos_url: `${base}/users/x/repos`,
      events_url: `${base}/users/x/events{/privacy}`,
      received_events_url: `${base}/users/x/received_events`,
      type: c.user.type,
      site_admin: false,
    },
    created_at: c.created_at,
    updated_at: c.updated_at,
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
  });

  function handle(
    match: MatchedOperation,
    url: URL,
    body: unknown,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    const { owner, repo } = match.params as { owner: string; repo: string };
    switch (match.operation.operationId) {
      case 'issues/list-comments': {
        const issue = match.params.issue_number as string;
        const all = [...comments.values()]
          .filter((c) => c.issue === issueKey(owner, repo, issue))
          .map((c) => c.comment);
        const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30));
        const page = Number(url.searchParams.get('page') ?? 1);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const link = (p: number, rel: string) => {
          const next = new URL(url.toString());
          next.searchParams.set('page', String(p));
          next.searchParams.set('per_page', String(perPage));
          return `<${base}${next.pathname}${next.search}>; rel="${rel}"`;
        };
        const links = [
          ...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []),
          ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : []),
        ];
        return {
          status: 200,
          body: all
            .slice((page - 1) * perPage, page * perPage)
            .map((c) => render(owner, repo, issue, c)),
          headers: links.length ? { link: links.join(', ') } : {},
        };
      }
      case 'issues/create-comment': {
        const issue = match.params.issue_number as string;
        const comment: FakeComment = {
          id: nextId++,
          body: (body as { body: string }).body,
          user: BOT,
          created_at: clock(),
          updated_at: clock(),
        };
        comments.set(comment.id, { comment, issue: issueKey(owner, repo, issue) });
        return {
          status: 201,
          body: render(owner, repo, issue, comment),
          headers: { location: `${base}/repos/${owner}/${repo}/issues/comments/${comment.id}` },
        };
      }
      case 'issues/get-comment':
      case 'issues/update-comment': {
        const found = comments.get(Number(match.params.comment_id));
        if (!found || !found.issue.startsWith(`${owner}/${repo}#`)) {
          return {
            status: 404,
            body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
          };
        }
        if (match.operation.operationId === 'issues/update-comment') {
          found.comment.body = (body as { body: string }).body;
          found.comment.updated_at = clock();
        }
        return {
          status: 200,
          body: render(owner, repo, found.issue.split('#')[1] as string, found.comment),
        };
      }
      default:
        violations.push(
          `${match.method} ${url.pathname}: ${match.operation.operationId} is not implemented by the fake`,
        );
        return {
          status: 404,
          body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' },
        };
    }
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      let status = 500;
      const send = (code: number, payload: unknown, headers: Record<string, string> = {}) => {
        status = code;
        const json = payload === undefined ? '' : JSON.stringify(payload);
        res.writeHead(code, {
          'content-type': 'application/json; charset=utf-8',
          'x-github-media-type': 'github.v3',
          ...headers,
        });
        res.end(json);
        requests.push({
          method: req.method ?? '',
          path: url.pathname,
          query: url.search,
          headers: req.headers,
          body,
          status,
        });
      };
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        violations.push(`${req.method} ${url.pathname}: body is not JSON`);
        return send(400, {
          message: 'Problems parsing JSON',
          documentation_url: 'https://docs.github.com/rest',
        });
      }
      const match = matchOperation(req.method ?? 'GET', url.pathname);
      if (!match) {
        violations.push(`${req.method} ${url.pathname}: no such operation in GitHub's REST API`);
        return send(404, {
          message: 'Not Found',
          documentation_url: 'https://docs.github.com/rest',
        });
      }
      const problems = validateRequest(match, url.searchParams, body);
      if (problems.length > 0) {
        violations.push(
          `${match.method} ${url.pathname} (${match.operation.operationId}): ${problems.join('; ')}`,
        );
        return send(422, {
          message: 'Validation Failed',
          errors: problems.map((p) => ({ resource: 'Request', code: 'invalid', message: p })),
          documentation_url: 'https://docs.github.com/rest',
        });
      }
      const failure = failures.find(
        (f) => f.method === match.method && f.path === url.pathname && f.times > 0,
      );
      if (failure) {
        failure.times--;
        const message =
          failure.status === 403 ? 'Resource not accessible by integration' : 'Server Error';
        return send(failure.status, { message, documentation_url: 'https://docs.github.com/rest' });
      }
      const result = handle(match, url, body);
      for (const problem of validateResponse(match, result.status, result.body))
        violations.push(`fake's own ${problem}`);
      send(result.status, result.body, result.headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    get comments() {
      return [...comments.values()].map((c) => c.comment);
    },
    requests,
    violations,
    failNext(method, path, status, times = 1) {
      failures.push({ method: method.toUpperCase(), path, status, times });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
