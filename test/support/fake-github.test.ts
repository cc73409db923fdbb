import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub, type FakeUser } from './fake-github.js';
import { operationAt } from './openapi-spec.js';
import { checkResponse } from './openapi-validator.js';

let github: FakeGitHub | undefined;
/** Violations a test provoked on purpose; anything else left in `violations` fails it. */
let expected: string[] = [];

afterEach(async () => {
  const unexpected = github?.violations.filter((v) => !expected.includes(v)) ?? [];
  expected = [];
  await github?.close();
  github = undefined;
  expect(unexpected).toEqual([]);
});

const COMMENTS = '/repos/octo-org/octo-repo/issues/1/comments';

async function call(
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: unknown; headers: Headers }> {
  const raw =
    options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${github!.url}${path}`, {
    method,
    headers: {
      authorization: 'token ghs_test',
      ...(raw === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: raw,
  });
  const text = await response.text();
  return {
    status: response.status,
    json: text ? JSON.parse(text) : undefined,
    headers: response.headers,
  };
}

/** Takes the violations recorded since the last call, marking them as provoked by the test. */
function provoked(): string[] {
  const fresh = github!.violations.filter((v) => !expected.includes(v));
  expected.push(...fresh);
  return fresh;
}

describe('the fake GitHub API: requests are checked against the OpenAPI description', () => {
  it.each([
    {
      what: 'an unknown key instead of body',
      body: { text: 1 },
      status: 422,
      violations: [
        "request body: (root) must have required property 'body'",
        'request body: unknown body property "text"',
      ],
    },
    {
      what: 'a body of the wrong type',
      body: { body: 42 },
      status: 422,
      violations: ['request body: /body must be string'],
    },
    {
      what: 'a JSON string instead of an object',
      body: 'hello',
      status: 422,
      violations: ['request body: (root) must be object'],
    },
    {
      what: 'no body at all',
      body: undefined,
      status: 422,
      violations: ['request body: a JSON body is required'],
    },
  ])('rejects a comment with $what (422) and records it', async ({ body, status, violations }) => {
    github = await startFakeGitHub();
    const response = await call('POST', COMMENTS, { body });
    expect(response.status).toBe(status);
    expect(response.json).toMatchObject({ message: expect.stringContaining('Invalid request') });
    const recorded = provoked();
    expect(recorded).toHaveLength(violations.length);
    violations.forEach((v, i) =>
      expect(recorded[i]).toBe(`POST ${COMMENTS} (issues/create-comment): ${v}`),
    );
    expect(github.comments).toEqual([]);
  });

  it('answers 400 to a body that is not JSON', async () => {
    github = await startFakeGitHub();
    const response = await call('POST', COMMENTS, { raw: '{"body": ' });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ message: 'Problems parsing JSON' });
    expect(provoked()).toEqual([
      `POST ${COMMENTS} (issues/create-comment): request body is not valid JSON`,
    ]);
  });

  it('answers 404 to an unknown path, an unknown method and a bad path parameter', async () => {
    github = await startFakeGitHub();
    expect((await call('GET', '/repos/octo-org/octo-repo/no-such-thing')).status).toBe(404);
    expect((await call('PUT', COMMENTS, { body: { body: 'x' } })).status).toBe(404);
    expect((await call('GET', '/repos/octo-org/octo-repo/issues/abc/comments')).status).toBe(404);
    expect(provoked()).toEqual([
      "GET /repos/octo-org/octo-repo/no-such-thing: no such path in GitHub's REST API",
      `PUT ${COMMENTS}: /repos/{owner}/{repo}/issues/{issue_number}/comments has no PUT operation (it has GET, POST)`,
      'GET /repos/octo-org/octo-repo/issues/abc/comments (issues/list-comments): request path: /issue_number must be integer',
    ]);
  });

  it('checks query parameters: a wrong type is refused, an unknown one is recorded', async () => {
    github = await startFakeGitHub();
    // list-comments documents no 422: GitHub's generic 400 then
    expect((await call('GET', `${COMMENTS}?per_page=abc`)).status).toBe(400);
    expect((await call('GET', `${COMMENTS}?since=yesterday`)).status).toBe(400);
    expect((await call('GET', `${COMMENTS}?perPage=100`)).status).toBe(200);
    expect(provoked()).toEqual([
      `GET ${COMMENTS}?per_page=abc (issues/list-comments): request query: /per_page must be integer`,
      `GET ${COMMENTS}?since=yesterday (issues/list-comments): request query: /since must match format "date-time"`,
      `GET ${COMMENTS}?perPage=100 (issues/list-comments): request query: unknown query parameter "perPage"`,
    ]);
  });

  it('routes a literal segment before a parameter (issues/comments is not issue #comments)', async () => {
    github = await startFakeGitHub();
    const response = await call('GET', '/repos/octo-org/octo-repo/issues/comments');
    expect(response.status).toBe(501);
    expect(provoked()).toEqual([
      'GET /repos/octo-org/octo-repo/issues/comments (issues/list-comments-for-repo): the fake does not implement this operation yet: add a handler in fake-github.ts',
    ]);
  });

  it('refuses a request without User-Agent, as GitHub does', async () => {
    github = await startFakeGitHub();
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${github!.url}${COMMENTS}`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    expect(provoked()).toEqual([
      `GET ${COMMENTS} (issues/list-comments): no User-Agent header: GitHub refuses such requests`,
    ]);
  });

  it('authenticates: writes need a token, a GITHUB_TOKEN cannot read /user', async () => {
    const reviewer: FakeUser = { login: 'reviewer', id: 77, type: 'User' };
    github = await startFakeGitHub({
      tokens: { ghs_test: { ...reviewer, login: 'x[bot]', type: 'Bot' }, ghp_pat: reviewer },
    });
    const anonymous = await call('POST', COMMENTS, {
      body: { body: 'x' },
      headers: { authorization: '' },
    });
    expect(anonymous.status).toBe(401);
    expect((await call('GET', COMMENTS, { headers: { authorization: 'token nope' } })).status).toBe(
      401,
    );
    expect((await call('GET', '/user')).status).toBe(403);
    const me = await call('GET', '/user', { headers: { authorization: 'Bearer ghp_pat' } });
    expect(me).toMatchObject({ status: 200, json: { login: 'reviewer', type: 'User' } });
    expect(github.comments).toEqual([]);
  });
});

describe('the fake GitHub API: state, pagination, failures', () => {
  it('pages with per_page (max 100) and a Link header like GitHub', async () => {
    github = await startFakeGitHub({ seedComments: 150 });
    const first = await call('GET', `${COMMENTS}?per_page=100`);
    expect(first.json).toHaveLength(100);
    const url = `${github.url}${COMMENTS}`;
    expect(first.headers.get('link')).toBe(
      `<${url}?per_page=100&page=2>; rel="next", <${url}?per_page=100&page=2>; rel="last"`,
    );
    const second = await call('GET', `${COMMENTS}?per_page=100&page=2`);
    expect(second.json).toHaveLength(50);
    expect(second.headers.get('link')).toBe(
      `<${url}?per_page=100&page=1>; rel="prev", <${url}?per_page=100&page=1>; rel="first"`,
    );
    const ids = [...(first.json as { id: number }[]), ...(second.json as { id: number }[])].map(
      (c) => c.id,
    );
    expect(new Set(ids).size).toBe(150);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));

    const byDefault = await call('GET', COMMENTS);
    expect(byDefault.json).toHaveLength(30);
    expect(byDefault.headers.get('link')).toContain(`<${url}?page=5>; rel="last"`);
    expect((await call('GET', `${COMMENTS}?per_page=500`)).json).toHaveLength(100);
    expect((await call('GET', `${COMMENTS}?page=9`)).json).toEqual([]);
    expect((await call('GET', `${COMMENTS}?since=2000-01-01T00:00:00.000Z`)).json).toHaveLength(30);
    expect((await call('GET', `${COMMENTS}?since=2999-01-01T00:00:00Z`)).json).toEqual([]);
    expect(
      (await call('GET', '/repos/octo-org/octo-repo/issues/2/comments')).headers.get('link'),
    ).toBeNull();
  });

  it('creates, reads, updates and deletes comments; every response matches the spec', async () => {
    github = await startFakeGitHub();
    const created = await call('POST', COMMENTS, { body: { body: 'hello' } });
    expect(created.status).toBe(201);
    const comment = created.json as {
      id: number;
      url: string;
      html_url: string;
      user: { login: string };
    };
    expect(created.headers.get('location')).toBe(comment.url);
    expect(comment.user.login).toBe('github-actions[bot]');
    expect(comment.html_url).toBe(
      `https://github.com/octo-org/octo-repo/pull/1#issuecomment-${comment.id}`,
    );
    const path = `/repos/octo-org/octo-repo/issues/comments/${comment.id}`;
    expect(await call('GET', path)).toMatchObject({ status: 200, json: { body: 'hello' } });
    expect(await call('PATCH', path, { body: { body: 'edited' } })).toMatchObject({
      status: 200,
      json: { id: comment.id, body: 'edited' },
    });
    expect(github.comments).toMatchObject([{ id: comment.id, body: 'edited', issueNumber: 1 }]);
    expect((await call('DELETE', path)).status).toBe(204);
    expect((await call('PATCH', path, { body: { body: 'again' } })).status).toBe(404);
    expect(github.comments).toEqual([]);
    expect(github.requests.map((r) => `${r.method} ${r.status} ${r.operationId}`)).toEqual([
      'POST 201 issues/create-comment',
      'GET 200 issues/get-comment',
      'PATCH 200 issues/update-comment',
      'DELETE 204 issues/delete-comment',
      'PATCH 404 issues/update-comment',
    ]);
    expect(github.requests[0]).toMatchObject({
      body: { body: 'hello' },
      headers: { authorization: 'token ghs_test' },
    });
    expect(github.violations).toEqual([]);
  });

  it('fails the next N requests to a route on demand, then serves them again', async () => {
    github = await startFakeGitHub();
    github.failNext('POST', COMMENTS, 500, 2);
    github.failNext('get', '/repos/{owner}/{repo}/issues/{issue_number}/comments', 403, 1, {
      message: 'Resource not accessible by integration',
    });
    expect((await call('POST', COMMENTS, { body: { body: 'a' } })).status).toBe(500);
    expect((await call('POST', COMMENTS, { body: { body: 'a' } })).status).toBe(500);
    expect((await call('POST', COMMENTS, { body: { body: 'a' } })).status).toBe(201);
    expect(await call('GET', '/repos/o/r/issues/9/comments')).toMatchObject({
      status: 403,
      json: { message: 'Resource not accessible by integration' },
    });
    expect((await call('GET', '/repos/o/r/issues/9/comments')).status).toBe(200);
    expect(github.comments).toHaveLength(1);
    expect(() => github!.failNext('POST', '/repos/o/r/issue/1/comments', 500)).toThrow(
      /not an operation of GitHub's REST API/,
    );
  });
});

describe("the fake's response check", () => {
  it('catches a body that breaks the schema (that would be a bug in the fake)', () => {
    const operation = operationAt('/repos/{owner}/{repo}/issues/comments/{comment_id}', 'get');
    const broken = { id: '1', body: 'x', user: { login: 'octocat' } };
    const problems = checkResponse(operation, 200, broken);
    expect(problems).toContain('/id must be integer');
    expect(problems).toContain("(root) must have required property 'node_id'");
    expect(problems).toContain("/user must have required property 'avatar_url'");
    expect(checkResponse(operation, 201, {})).toEqual([
      'status 201 is not documented for issues/get-comment',
    ]);
  });

  it('serves runs and artifacts; the download is a 302 to storage that refuses the token', async () => {
    github = await startFakeGitHub();
    const run = github.addWorkflowRun({
      headSha: 'a'.repeat(40),
      artifacts: [{ name: 'loadgate-report', files: { 'r.json': '{}' } }],
    });
    github.addWorkflowRun({ headSha: 'a'.repeat(40), conclusion: 'failure' });
    const runs = await call(
      'GET',
      `/repos/octo-org/octo-repo/actions/runs?head_sha=${'a'.repeat(40)}&status=success`,
    );
    expect(
      (runs.json as { workflow_runs: { id: number }[] }).workflow_runs.map((r) => r.id),
    ).toEqual([run.id]);
    const artifacts = await call(
      'GET',
      `/repos/octo-org/octo-repo/actions/runs/${run.id}/artifacts`,
    );
    const [artifact] = (artifacts.json as { artifacts: { id: number; name: string }[] }).artifacts;
    expect(artifact?.name).toBe('loadgate-report');

    const download = await fetch(
      `${github.url}/repos/octo-org/octo-repo/actions/artifacts/${artifact?.id}/zip`,
      { headers: { authorization: 'token ghs_test' }, redirect: 'manual' },
    );
    expect(download.status).toBe(302);
    const location = download.headers.get('location') as string;
    expect((await fetch(location)).status).toBe(200);

    const withToken = await fetch(location, { headers: { authorization: 'token ghs_test' } });
    expect(withToken.status).toBe(400);
    expected = github.violations.filter((v) => v.includes('the GitHub token was sent'));
    expect(expected).toHaveLength(1);
  });
});
