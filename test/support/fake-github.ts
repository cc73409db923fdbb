import {
  createServer,
  STATUS_CODES,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { strToU8, zipSync } from 'fflate';
import { completeFromSchema } from './openapi-sample.js';
import { matchRoute, type Operation } from './openapi-spec.js';
import { checkRequest, checkResponse } from './openapi-validator.js';

/**
 * A local stand-in for GitHub's REST API (GitHub is not reachable from the test machines).
 * It serves the issue-comment endpoints from in-memory state, and checks every request it
 * receives and every response it sends against GitHub's published OpenAPI description:
 * a request GitHub would refuse gets GitHub's error status, and every mismatch (the client's
 * or the fake's own) is recorded in `violations`, which tests expect to stay empty.
 */

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

/** The identity behind a workflow's GITHUB_TOKEN. */
export const GITHUB_ACTIONS_BOT: FakeUser = {
  login: 'github-actions[bot]',
  id: 41898282,
  type: 'Bot',
};

/** People (and one other bot) who write the seeded comments. */
export const OTHER_USERS: readonly FakeUser[] = [
  { login: 'octocat', id: 583231, type: 'User' },
  { login: 'monalisa', id: 2, type: 'User' },
  { login: 'hubot', id: 480938, type: 'User' },
  { login: 'dependabot[bot]', id: 49699333, type: 'Bot' },
];

export interface FakeComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
}

/** A workflow run of the fake repository, with the artifacts it uploaded. */
export interface FakeWorkflowRun {
  id: number;
  headSha: string;
  headBranch: string;
  event: string;
  status: 'completed' | 'in_progress';
  conclusion: 'success' | 'failure' | 'cancelled' | null;
  /** Numbers of the PRs GitHub links to the run (empty for a fork's PR, as on GitHub). */
  pullRequests: number[];
  createdAt: string;
}

export interface FakeArtifact {
  id: number;
  runId: number;
  name: string;
  /** The zip GitHub serves for it. */
  zip: Uint8Array;
  expired: boolean;
}

export interface FakePullRequest {
  number: number;
  headSha: string;
  baseSha: string;
}

export interface FakeRequest {
  method: string;
  /** The path without the query string. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased names, as Node gives them. */
  headers: IncomingHttpHeaders;
  /** Parsed JSON (the raw text when it did not parse); `undefined` without a body. */
  body: unknown;
  /** The operation the path and method resolved to in the spec, when any. */
  operationId: string | undefined;
  /** The status the fake answered with (0 until it answered). */
  status: number;
}

export interface FakeGitHubOptions {
  /** Where `seedComments` are written (default `octo-org/octo-repo#1`). */
  owner?: string;
  repo?: string;
  issueNumber?: number;
  /** That many comments from other users before the test starts (pagination: 150 > 100). */
  seedComments?: number;
  /** Token → identity. Default: any token is `github-actions[bot]`, like a GITHUB_TOKEN. */
  tokens?: Record<string, FakeUser>;
}

export interface FailureOptions {
  message?: string;
  headers?: Record<string, string>;
}

export interface FakeGitHub {
  /** Base URL, to pass as `baseUrl` / GITHUB_API_URL. */
  readonly url: string;
  readonly requests: readonly FakeRequest[];
  readonly comments: readonly FakeComment[];
  /** Requests that do not match GitHub's description, and responses of the fake that do not. */
  readonly violations: readonly string[];
  readonly workflowRuns: readonly FakeWorkflowRun[];
  readonly artifacts: readonly FakeArtifact[];
  /** Adds a run of the seed repository (newest last), with its artifacts' files zipped. */
  addWorkflowRun(run: {
    headSha: string;
    headBranch?: string;
    event?: string;
    conclusion?: FakeWorkflowRun['conclusion'];
    pullRequests?: number[];
    artifacts?: {
      name: string;
      files?: Record<string, string>;
      zip?: Uint8Array;
      expired?: boolean;
    }[];
  }): FakeWorkflowRun;
  /**
   * The ACTIONS_RUNTIME_TOKEN of a job of `run`: with it and ACTIONS_RESULTS_URL = `url`, the
   * action's artifact uploads land on that run (the runner's artifact service, faked: twirp
   * CreateArtifact / FinalizeArtifact and a blob storage taking Azure block uploads).
   */
  runtimeToken(run: FakeWorkflowRun): string;
  /** Adds a pull request to the seed repository (for `pulls/get`). */
  addPullRequest(pr: FakePullRequest): void;
  /** Writes a comment directly into the state (no request recorded). */
  addComment(comment: {
    owner?: string;
    repo?: string;
    issueNumber?: number;
    body: string;
    user?: FakeUser;
  }): FakeComment;
  /**
   * The next `times` requests to `method path` answer `status` with a GitHub error body.
   * `path` is concrete (`/repos/o/r/issues/7/comments`) or a spec template
   * (`/repos/{owner}/{repo}/issues/{issue_number}/comments`).
   */
  failNext(
    method: string,
    path: string,
    status: number,
    times?: number,
    options?: FailureOptions,
  ): void;
  /** The next `times` downloads from the artifact storage answer `status` (a storage hiccup). */
  failBlobDownloads(status: number, times?: number): void;
  close(): Promise<void>;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

interface HandlerContext {
  operation: Operation;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  user: FakeUser;
  pathname: string;
}

interface PendingFailure {
  method: string;
  path: string;
  status: number;
  remaining: number;
  options: FailureOptions;
}

/** Stands for the caller of an anonymous read (handlers of reads do not look at it). */
const ANONYMOUS: FakeUser = { login: 'ghost', id: 10137, type: 'User' };
const DOCS = 'https://docs.github.com/rest';
const FIRST_COMMENT_ID = 2_000_000_001;
const FIRST_RUN_ID = 30_433_642;
const FIRST_ARTIFACT_ID = 1_100_000_001;
/** Where the fake's "blob storage" serves artifact zips (not part of the REST API). */
const BLOB_PREFIX = '/_blob/artifacts/';
/** Where it takes uploads (signed URLs handed out by CreateArtifact). */
const UPLOAD_PREFIX = '/_blob/uploads/';
const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/';
const MAX_PER_PAGE = 100;

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const requests: FakeRequest[] = [];
  const comments: FakeComment[] = [];
  const violations: string[] = [];
  const failures: PendingFailure[] = [];
  const blobFailures = { status: 503, remaining: 0 };
  let nextId = FIRST_COMMENT_ID;
  let url = '';
  const workflowRuns: FakeWorkflowRun[] = [];
  const artifacts: FakeArtifact[] = [];
  const pullRequests: FakePullRequest[] = [];
  let nextRunId = FIRST_RUN_ID;
  let nextArtifactId = FIRST_ARTIFACT_ID;

  const seedTarget = {
    owner: options.owner ?? 'octo-org',
    repo: options.repo ?? 'octo-repo',
    issueNumber: options.issueNumber ?? 1,
  };

  function addComment(input: Parameters<FakeGitHub['addComment']>[0]): FakeComment {
    const now = timestamp();
    const comment: FakeComment = {
      id: nextId++,
      owner: input.owner ?? seedTarget.owner,
      repo: input.repo ?? seedTarget.repo,
      issueNumber: input.issueNumber ?? seedTarget.issueNumber,
      body: input.body,
      user: input.user ?? OTHER_USERS[0]!,
      createdAt: now,
      updatedAt: now,
    };
    comments.push(comment);
    return comment;
  }

  for (let i = 0; i < (options.seedComments ?? 0); i++) {
    const user = OTHER_USERS[i % OTHER_USERS.length]!;
    addComment({ body: `Comment ${i + 1} by @${user.login}`, user });
  }

  function addWorkflowRun(input: Parameters<FakeGitHub['addWorkflowRun']>[0]): FakeWorkflowRun {
    const run: FakeWorkflowRun = {
      id: nextRunId++,
      headSha: input.headSha,
      headBranch: input.headBranch ?? 'main',
      event: input.event ?? 'push',
      status: input.conclusion === null ? 'in_progress' : 'completed',
      conclusion: input.conclusion === undefined ? 'success' : input.conclusion,
      pullRequests: input.pullRequests ?? [],
      createdAt: timestamp(),
    };
    workflowRuns.push(run);
    for (const a of input.artifacts ?? []) {
      const files = Object.fromEntries(
        Object.entries(a.files ?? {}).map(([name, text]) => [name, strToU8(text)]),
      );
      artifacts.push({
        id: nextArtifactId++,
        runId: run.id,
        name: a.name,
        zip: a.zip ?? zipSync(files),
        expired: a.expired ?? false,
      });
    }
    return run;
  }
  const isSeedRepo = (p: Record<string, string>) =>
    p.owner?.toLowerCase() === seedTarget.owner.toLowerCase() &&
    p.repo?.toLowerCase() === seedTarget.repo.toLowerCase();
  const runJson = (r: FakeWorkflowRun) => workflowRunJson(r, seedTarget, url);
  const artifactJson = (a: FakeArtifact) => {
    const run = workflowRuns.find((r) => r.id === a.runId) as FakeWorkflowRun;
    return artifactToJson(a, run, seedTarget, url);
  };

  const sameIssue = (c: FakeComment, p: Record<string, string>) =>
    sameRepo(c, p) && c.issueNumber === Number(p.issue_number);
  const sameRepo = (c: FakeComment, p: Record<string, string>) =>
    c.owner.toLowerCase() === p.owner?.toLowerCase() &&
    c.repo.toLowerCase() === p.repo?.toLowerCase();
  const findComment = (p: Record<string, string>) =>
    comments.find((c) => c.id === Number(p.comment_id) && sameRepo(c, p));
  const commentJson = (c: FakeComment) => issueCommentJson(c, url);

  const handlers: Record<string, (ctx: HandlerContext) => Reply> = {
    'issues/list-comments': ({ pathParams, query, pathname }) => {
      const since = Date.parse(query.get('since') ?? '');
      const all = comments.filter(
        (c) => sameIssue(c, pathParams) && !(Date.parse(c.updatedAt) < since),
      );
      const perPage = clamp(Number(query.get('per_page') ?? 30) || 30, 1, MAX_PER_PAGE);
      const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
      const slice = all.slice((page - 1) * perPage, page * perPage);
      const lastPage = Math.max(1, Math.ceil(all.length / perPage));
      const link = linkHeader(`${url}${pathname}`, query, page, lastPage);
      const headers: Record<string, string> = link ? { link } : {};
      return { status: 200, body: slice.map(commentJson), headers };
    },
    'issues/create-comment': ({ pathParams, body, user }) => {
      const comment = addComment({
        owner: pathParams.owner,
        repo: pathParams.repo,
        issueNumber: Number(pathParams.issue_number),
        body: (body as { body: string }).body,
        user,
      });
      const json = commentJson(comment);
      return { status: 201, body: json, headers: { location: String(json.url) } };
    },
    'issues/get-comment': ({ pathParams }) => {
      const comment = findComment(pathParams);
      return comment ? { status: 200, body: commentJson(comment) } : notFound();
    },
    'issues/update-comment': ({ pathParams, body }) => {
      const comment = findComment(pathParams);
      if (!comment) return notFound();
      comment.body = (body as { body: string }).body;
      comment.updatedAt = timestamp();
      return { status: 200, body: commentJson(comment) };
    },
    'issues/delete-comment': ({ pathParams }) => {
      const comment = findComment(pathParams);
      if (!comment) return notFound();
      comments.splice(comments.indexOf(comment), 1);
      return { status: 204 };
    },
    'actions/list-workflow-runs-for-repo': ({ pathParams, query }) => {
      if (!isSeedRepo(pathParams)) return notFound();
      const status = query.get('status');
      const matches = workflowRuns
        .filter(
          (r) =>
            (!query.get('head_sha') || r.headSha === query.get('head_sha')) &&
            (!query.get('branch') || r.headBranch === query.get('branch')) &&
            (!query.get('event') || r.event === query.get('event')) &&
            (!status || r.status === status || r.conclusion === status),
        )
        .reverse(); // newest first, as GitHub lists them
      const perPage = clamp(Number(query.get('per_page') ?? 30) || 30, 1, MAX_PER_PAGE);
      const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
      return {
        status: 200,
        body: {
          total_count: matches.length,
          workflow_runs: matches.slice((page - 1) * perPage, page * perPage).map(runJson),
        },
      };
    },
    'actions/list-workflow-run-artifacts': ({ pathParams, query }) => {
      if (!isSeedRepo(pathParams)) return notFound();
      if (!workflowRuns.some((r) => r.id === Number(pathParams.run_id))) return notFound();
      const name = query.get('name');
      const matches = artifacts.filter(
        (a) => a.runId === Number(pathParams.run_id) && (!name || a.name === name),
      );
      return {
        status: 200,
        body: { total_count: matches.length, artifacts: matches.map(artifactJson) },
      };
    },
    'actions/download-artifact': ({ pathParams }) => {
      const artifact = artifacts.find((a) => a.id === Number(pathParams.artifact_id));
      if (!isSeedRepo(pathParams) || !artifact || pathParams.archive_format !== 'zip') {
        return notFound();
      }
      if (artifact.expired) return error(410, 'Artifact has expired');
      return {
        status: 302,
        headers: { location: `${url}${BLOB_PREFIX}${artifact.id}.zip?sig=fake-signature` },
      };
    },
    'pulls/get': ({ pathParams }) => {
      const pr = isSeedRepo(pathParams)
        ? pullRequests.find((p) => p.number === Number(pathParams.pull_number))
        : undefined;
      return pr ? { status: 200, body: pullRequestJson(pr, seedTarget, url) } : notFound();
    },
    // An installation token (GITHUB_TOKEN) cannot read `/user`: GitHub answers 403.
    'users/get-authenticated': ({ user }) => {
      if (user.type === 'Bot') return error(403, 'Resource not accessible by integration');
      return {
        status: 200,
        body: completeFromSchema({ $ref: '#/components/schemas/public-user' }, userJson(user, url)),
      };
    },
  };

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const parsedUrl = new URL(req.url ?? '/', url);
      const method = (req.method ?? 'GET').toUpperCase();
      const entry: FakeRequest = {
        method,
        path: parsedUrl.pathname,
        query: parsedUrl.searchParams,
        headers: req.headers,
        body: raw.length > 0 ? parseJson(raw).value : undefined,
        operationId: undefined,
        status: 0,
      };
      requests.push(entry);
      const label = `${method} ${parsedUrl.pathname}${parsedUrl.search}`;
      if (parsedUrl.pathname.startsWith(BLOB_PREFIX)) {
        serveBlob(entry, label, res);
        return;
      }
      if (parsedUrl.pathname.startsWith(TWIRP_PREFIX)) {
        const reply = answerTwirp(entry, label);
        entry.status = reply.status;
        res.writeHead(reply.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.body));
        return;
      }
      if (parsedUrl.pathname.startsWith(UPLOAD_PREFIX)) {
        const status = takeUpload(entry, label, raw);
        entry.status = status;
        res.writeHead(status, {
          'x-ms-request-id': `fake-${requests.length}`,
          'x-ms-version': '2025-01-05',
          etag: `"0x${requests.length.toString(16)}"`,
          'last-modified': new Date().toUTCString(),
          'x-ms-request-server-encrypted': 'true',
        });
        res.end();
        return;
      }

      let operation: Operation | undefined;
      let reply: Reply;
      try {
        ({ operation, reply } = answer(entry, label, raw));
      } catch (err) {
        violations.push(`${label}: the fake crashed: ${(err as Error).stack ?? String(err)}`);
        reply = error(500, 'fake-github crashed');
      }
      entry.status = reply.status;
      if (reply.status !== 501) {
        for (const problem of checkResponse(operation, reply.status, reply.body)) {
          violations.push(`${label}: response ${reply.status} does not match the spec: ${problem}`);
        }
      }
      const payload = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        ...(payload ? { 'content-type': 'application/json; charset=utf-8' } : {}),
        'x-github-media-type': 'github.v3; format=json',
        'x-github-request-id': `FAKE:${requests.length}`,
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': String(Math.max(0, 5000 - requests.length)),
        'x-ratelimit-used': String(requests.length),
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        'x-ratelimit-resource': 'core',
        ...reply.headers,
      });
      res.end(payload);
    })().catch(() => res.destroy()); // the client went away mid-request
  });

  // The runner's artifact service: job → run by the backend ids in the runtime token.
  const jobs = new Map<string, FakeWorkflowRun>();
  const uploads = new Map<
    string,
    { run: FakeWorkflowRun; name: string; blocks: Map<string, Buffer>; blob?: Buffer }
  >();

  function runtimeToken(run: FakeWorkflowRun): string {
    const runBackendId = `7f0d7e1e-0000-4000-8000-${String(run.id).padStart(12, '0')}`;
    const jobBackendId = `0b5a7e11-0000-4000-8000-${String(jobs.size + 1).padStart(12, '0')}`;
    jobs.set(`${runBackendId}:${jobBackendId}`, run);
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const scp = `Actions.GenericRead:00000000 Actions.Results:${runBackendId}:${jobBackendId}`;
    return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ scp })}.c2lnbmF0dXJl`;
  }

  function answerTwirp(entry: FakeRequest, label: string): Reply {
    const method = entry.path.slice(TWIRP_PREFIX.length);
    const body = (entry.body ?? {}) as Record<string, unknown>;
    const token = /^Bearer (.+)$/.exec(entry.headers.authorization ?? '')?.[1];
    const key = `${String(body.workflow_run_backend_id)}:${String(body.workflow_job_run_backend_id)}`;
    const run = jobs.get(key);
    if (!token || !run || !token.startsWith('ey') || runtimeTokenIds(token) !== key) {
      violations.push(`${label}: no runtime token of this job, or ids that are not the token's`);
      return { status: 401, body: { code: 'unauthenticated', msg: 'invalid token' } };
    }
    const name = String(body.name ?? '');
    const uploadKey = `${run.id}/${name}`;
    if (method === 'CreateArtifact') {
      if (!name || body.version !== 7) {
        violations.push(`${label}: CreateArtifact without a name or version 7`);
        return { status: 400, body: { code: 'invalid_argument', msg: 'bad request' } };
      }
      if (artifacts.some((a) => a.runId === run.id && a.name === name) || uploads.has(uploadKey)) {
        return {
          status: 409,
          body: {
            code: 'already_exists',
            msg: 'an artifact with this name already exists on the workflow run',
          },
        };
      }
      uploads.set(uploadKey, { run, name, blocks: new Map() });
      const path = `${UPLOAD_PREFIX}${encodeURIComponent(String(run.id))}/${encodeURIComponent(name)}.zip`;
      return {
        status: 200,
        body: { ok: true, signed_upload_url: `${url}${path}?sv=2025&sig=fake` },
      };
    }
    if (method === 'FinalizeArtifact') {
      const upload = uploads.get(uploadKey);
      if (!upload?.blob) {
        violations.push(`${label}: FinalizeArtifact before the blob was committed`);
        return { status: 404, body: { code: 'not_found', msg: 'artifact not found' } };
      }
      if (String(body.size) !== String(upload.blob.length)) {
        violations.push(
          `${label}: size ${String(body.size)} is not the ${upload.blob.length} bytes uploaded`,
        );
      }
      uploads.delete(uploadKey);
      const artifact: FakeArtifact = {
        id: nextArtifactId++,
        runId: run.id,
        name,
        zip: new Uint8Array(upload.blob),
        expired: false,
      };
      artifacts.push(artifact);
      return { status: 200, body: { ok: true, artifact_id: String(artifact.id) } };
    }
    violations.push(`${label}: the fake artifact service does not implement ${method}`);
    return { status: 501, body: { code: 'unimplemented', msg: method } };
  }

  /** Azure block blob uploads: Put Block, Put Block List, or a single Put Blob. */
  function takeUpload(entry: FakeRequest, label: string, raw: Buffer): number {
    if (entry.headers.authorization) {
      violations.push(`${label}: a token was sent to the blob storage (the URL is signed)`);
      return 400;
    }
    const [runId, file] = entry.path.slice(UPLOAD_PREFIX.length).split('/');
    const upload = uploads.get(
      `${decodeURIComponent(runId ?? '')}/${decodeURIComponent(file ?? '').replace(/\.zip$/, '')}`,
    );
    if (entry.method !== 'PUT' || !upload || entry.query.get('sig') !== 'fake') return 403;
    const comp = entry.query.get('comp');
    if (comp === 'block') {
      upload.blocks.set(entry.query.get('blockid') ?? '', raw);
      return 201;
    }
    if (comp === 'blocklist') {
      const ids = [
        ...raw.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)</g),
      ].map((m) => m[1] as string);
      if (ids.some((id) => !upload.blocks.has(id))) {
        violations.push(`${label}: the block list names a block that was not staged`);
        return 400;
      }
      upload.blob = Buffer.concat(ids.map((id) => upload.blocks.get(id) as Buffer));
      return 201;
    }
    if (!comp) {
      upload.blob = raw;
      return 201;
    }
    violations.push(`${label}: unexpected blob operation comp=${comp}`);
    return 400;
  }

  /** Signed storage URLs, like Azure's: a request that also carries a token is refused. */
  function serveBlob(entry: FakeRequest, label: string, res: import('node:http').ServerResponse) {
    if (blobFailures.remaining > 0) {
      blobFailures.remaining -= 1;
      entry.status = blobFailures.status;
      res.writeHead(entry.status, { 'content-type': 'application/xml' });
      res.end('<Error><Code>ServerBusy</Code></Error>');
      return;
    }
    const id = Number(/(\d+)\.zip$/.exec(entry.path)?.[1]);
    const artifact = artifacts.find((a) => a.id === id);
    if (entry.headers.authorization) {
      violations.push(`${label}: the GitHub token was sent to the artifact storage`);
      entry.status = 400;
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.end('<Error><Code>InvalidAuthenticationInfo</Code></Error>');
      return;
    }
    entry.status = artifact ? 200 : 404;
    res.writeHead(entry.status, { 'content-type': 'application/zip' });
    res.end(artifact ? Buffer.from(artifact.zip) : undefined);
  }

  function answer(
    entry: FakeRequest,
    label: string,
    raw: Buffer,
  ): { operation: Operation | undefined; reply: Reply } {
    const route = matchRoute(entry.method, entry.path);
    if (route.kind === 'unknown-path') {
      violations.push(`${label}: no such path in GitHub's REST API`);
      return { operation: undefined, reply: notFound() };
    }
    if (route.kind === 'unknown-method') {
      violations.push(
        `${label}: ${route.template} has no ${entry.method} operation (it has ${route.allowed.join(', ')})`,
      );
      return { operation: undefined, reply: notFound() };
    }
    const { operation, pathParams } = route;
    entry.operationId = operation.operationId;
    const where = `${label} (${operation.operationId})`;
    const record = (message: string) => violations.push(`${where}: ${message}`);

    if (!entry.headers['user-agent']) {
      record('no User-Agent header: GitHub refuses such requests');
      return { operation, reply: error(403, 'Request forbidden by administrative rules.') };
    }
    const contentType = entry.headers['content-type'] ?? '';
    if (raw.length > 0 && !/^application\/(.+\+)?json\b/.test(contentType)) {
      record(`request body sent as "${contentType}", not application/json`);
    }
    if (raw.length > 0 && !parseJson(raw).ok) {
      record('request body is not valid JSON');
      return { operation, reply: error(400, 'Problems parsing JSON') };
    }
    const problems = checkRequest(operation, {
      pathParams,
      query: entry.query,
      body: entry.body,
    });
    for (const p of problems) record(`request ${p.where}: ${p.message}`);

    const failure = failures.find(
      (f) =>
        f.remaining > 0 &&
        f.method === entry.method &&
        (f.path === entry.path || f.path === operation.template),
    );
    if (failure) {
      failure.remaining--;
      const reply = error(
        failure.status,
        failure.options.message ?? defaultMessage(failure.status),
      );
      return { operation, reply: { ...reply, headers: failure.options.headers ?? {} } };
    }

    const rejected = problems.filter((p) => p.rejected);
    if (rejected.some((p) => p.where === 'path')) return { operation, reply: notFound() };
    if (rejected.length > 0) {
      const status = operation.responses['422'] ? 422 : 400;
      const message = rejected.map((p) => `${p.where}: ${p.message}`).join('\n');
      return { operation, reply: error(status, `Invalid request.\n\n${message}`) };
    }
    // Like GitHub for a public repository: reads may be anonymous, writes need a token.
    const identity = identify(entry.headers.authorization, options.tokens);
    if (!identity.ok) return { operation, reply: error(401, identity.message) };
    const user = identity.user;
    if (!user && (entry.method !== 'GET' || operation.operationId === 'users/get-authenticated')) {
      return { operation, reply: error(401, 'Requires authentication') };
    }

    const handler = handlers[operation.operationId];
    if (!handler) {
      record('the fake does not implement this operation yet: add a handler in fake-github.ts');
      return {
        operation,
        reply: error(501, `fake-github does not implement ${operation.operationId}`),
      };
    }
    return {
      operation,
      reply: handler({
        operation,
        pathParams,
        query: entry.query,
        body: entry.body,
        user: user ?? ANONYMOUS,
        pathname: entry.path,
      }),
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    comments,
    violations,
    workflowRuns,
    artifacts,
    addComment,
    addWorkflowRun,
    addPullRequest: (pr) => void pullRequests.push(pr),
    runtimeToken,
    failNext(method, path, status, times = 1, failureOptions = {}) {
      const verb = method.toUpperCase();
      const known = path.includes('{')
        ? matchRoute(verb, path.replace(/\{[^}]+\}/g, '1'))
        : matchRoute(verb, path);
      if (known.kind !== 'operation') {
        throw new Error(`failNext: ${verb} ${path} is not an operation of GitHub's REST API`);
      }
      if (!Number.isInteger(status) || status < 400 || status > 599) {
        throw new Error(`failNext: status must be an error status (400-599), got ${status}`);
      }
      failures.push({ method: verb, path, status, remaining: times, options: failureOptions });
    },
    failBlobDownloads(status, times = 1) {
      blobFailures.status = status;
      blobFailures.remaining = times;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** `runBackendId:jobBackendId` of a runtime token's `Actions.Results` scope. */
function runtimeTokenIds(token: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
      scp?: string;
    };
    const scope = payload.scp?.split(' ').find((s) => s.startsWith('Actions.Results:'));
    return scope?.split(':').slice(1).join(':');
  } catch {
    return undefined;
  }
}

/** The token's identity; `undefined` without a token (anonymous). */
function identify(
  authorization: string | undefined,
  tokens: Record<string, FakeUser> | undefined,
): { ok: true; user: FakeUser | undefined } | { ok: false; message: string } {
  if (!authorization) return { ok: true, user: undefined };
  const token = /^(?:token|bearer)\s+(\S+)$/i.exec(authorization)?.[1];
  if (!token) return { ok: false, message: 'Bad credentials' };
  if (!tokens) return { ok: true, user: GITHUB_ACTIONS_BOT };
  const user = tokens[token];
  return user ? { ok: true, user } : { ok: false, message: 'Bad credentials' };
}

function issueCommentJson(c: FakeComment, api: string): Record<string, unknown> {
  const repoUrl = `${api}/repos/${c.owner}/${c.repo}`;
  return completeFromSchema(
    { $ref: '#/components/schemas/issue-comment' },
    {
      id: c.id,
      node_id: `IC_kwDO${Buffer.from(String(c.id)).toString('base64url')}`,
      url: `${repoUrl}/issues/comments/${c.id}`,
      html_url: `https://github.com/${c.owner}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
      body: c.body,
      user: userJson(c.user, api),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      issue_url: `${repoUrl}/issues/${c.issueNumber}`,
      author_association: c.user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
      performed_via_github_app: null,
    },
  ) as Record<string, unknown>;
}

type RepoTarget = { owner: string; repo: string };

function repositoryJson(target: RepoTarget, api: string): Record<string, unknown> {
  const owner = { login: target.owner, id: 9919, type: 'Organization' as const };
  return completeFromSchema(
    { $ref: '#/components/schemas/minimal-repository' },
    {
      id: 42,
      name: target.repo,
      full_name: `${target.owner}/${target.repo}`,
      owner: userJson(owner, api),
      private: false,
      html_url: `https://github.com/${target.owner}/${target.repo}`,
      url: `${api}/repos/${target.owner}/${target.repo}`,
    },
  ) as Record<string, unknown>;
}

function workflowRunJson(r: FakeWorkflowRun, target: RepoTarget, api: string) {
  const repoUrl = `${api}/repos/${target.owner}/${target.repo}`;
  const runUrl = `${repoUrl}/actions/runs/${r.id}`;
  const repository = repositoryJson(target, api);
  return completeFromSchema(
    { $ref: '#/components/schemas/workflow-run' },
    {
      id: r.id,
      node_id: `WFR_kwLO${Buffer.from(String(r.id)).toString('base64url')}`,
      name: 'CI',
      head_branch: r.headBranch,
      head_sha: r.headSha,
      run_number: r.id - FIRST_RUN_ID + 1,
      display_title: 'CI',
      event: r.event,
      status: r.status,
      conclusion: r.conclusion,
      path: '.github/workflows/ci.yml',
      workflow_id: 161335,
      url: runUrl,
      html_url: `https://github.com/${target.owner}/${target.repo}/actions/runs/${r.id}`,
      created_at: r.createdAt,
      updated_at: r.createdAt,
      head_commit: null,
      head_repository: repository,
      repository,
      pull_requests: [], // `exclude_pull_requests` or not, the fake links none in lists
      jobs_url: `${runUrl}/jobs`,
      logs_url: `${runUrl}/logs`,
      check_suite_url: `${repoUrl}/check-suites/${r.id}`,
      cancel_url: `${runUrl}/cancel`,
      rerun_url: `${runUrl}/rerun`,
      artifacts_url: `${runUrl}/artifacts`,
      workflow_url: `${repoUrl}/actions/workflows/161335`,
    },
  );
}

function artifactToJson(a: FakeArtifact, run: FakeWorkflowRun, target: RepoTarget, api: string) {
  const repoUrl = `${api}/repos/${target.owner}/${target.repo}`;
  return completeFromSchema(
    { $ref: '#/components/schemas/artifact' },
    {
      id: a.id,
      node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
      name: a.name,
      size_in_bytes: a.zip.byteLength,
      url: `${repoUrl}/actions/artifacts/${a.id}`,
      archive_download_url: `${repoUrl}/actions/artifacts/${a.id}/zip`,
      expired: a.expired,
      created_at: run.createdAt,
      expires_at: run.createdAt,
      updated_at: run.createdAt,
      workflow_run: {
        id: run.id,
        repository_id: 42,
        head_repository_id: 42,
        head_branch: run.headBranch,
        head_sha: run.headSha,
      },
    },
  );
}

function pullRequestJson(pr: FakePullRequest, target: RepoTarget, api: string) {
  const repoUrl = `${api}/repos/${target.owner}/${target.repo}`;
  const repository = repositoryJson(target, api);
  const user = userJson(OTHER_USERS[0]!, api);
  const ref = (name: string, sha: string) => ({
    label: `${target.owner}:${name}`,
    ref: name,
    sha,
    user,
    repo: repository,
  });
  return completeFromSchema(
    { $ref: '#/components/schemas/pull-request' },
    {
      id: 1_000_000 + pr.number,
      number: pr.number,
      state: 'open',
      title: `PR ${pr.number}`,
      url: `${repoUrl}/pulls/${pr.number}`,
      html_url: `https://github.com/${target.owner}/${target.repo}/pull/${pr.number}`,
      user,
      head: ref(`feature-${pr.number}`, pr.headSha),
      base: ref('main', pr.baseSha),
    },
  );
}

function userJson(user: FakeUser, api: string): Record<string, unknown> {
  const self = `${api}/users/${encodeURIComponent(user.login)}`;
  const isBot = user.type === 'Bot';
  const slug = user.login.replace(/\[bot\]$/, '');
  return {
    login: user.login,
    id: user.id,
    node_id: `${isBot ? 'BOT' : 'U'}_kgDO${Buffer.from(String(user.id)).toString('base64url')}`,
    avatar_url: `https://avatars.githubusercontent.com/${isBot ? 'in' : 'u'}/${user.id}?v=4`,
    gravatar_id: '',
    url: self,
    html_url: isBot ? `https://github.com/apps/${slug}` : `https://github.com/${user.login}`,
    followers_url: `${self}/followers`,
    following_url: `${self}/following{/other_user}`,
    gists_url: `${self}/gists{/gist_id}`,
    starred_url: `${self}/starred{/owner}{/repo}`,
    subscriptions_url: `${self}/subscriptions`,
    organizations_url: `${self}/orgs`,
    repos_url: `${self}/repos`,
    events_url: `${self}/events{/privacy}`,
    received_events_url: `${self}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** GitHub's `Link` header: prev, next, last, first, as applicable; none for a single page. */
function linkHeader(
  base: string,
  query: URLSearchParams,
  page: number,
  lastPage: number,
): string | undefined {
  if (lastPage <= 1) return undefined;
  const at = (n: number) => {
    const params = new URLSearchParams(query);
    params.set('page', String(n));
    return `<${base}?${params.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(Math.min(page - 1, lastPage))}; rel="prev"`);
  if (page < lastPage) {
    links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  }
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.join(', ');
}

function error(status: number, message: string): Reply {
  return { status, body: { message, documentation_url: DOCS, status: String(status) } };
}

function notFound(): Reply {
  return error(404, 'Not Found');
}

function defaultMessage(status: number): string {
  if (status === 403) return 'Resource not accessible by integration';
  if (status >= 500) return 'Server Error';
  return STATUS_CODES[status] ?? 'Error';
}

/** Second precision, like GitHub's `2011-04-14T16:00:49Z`. */
function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

/** The parsed JSON, or the raw text when it does not parse. */
function parseJson(raw: Buffer): { ok: boolean; value: unknown } {
  const text = raw.toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: text };
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
