/** The pull request a workflow run is about. */
export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
  /** `pull_request.base.sha`: the commit whose report is the baseline. */
  baseSha?: string;
  /** `repository.default_branch`: where to look for a baseline when the base has none. */
  defaultBranch?: string;
}

/** The run of another workflow that a `workflow_run` event is about (`mode: report`). */
export interface WorkflowRunRef {
  owner: string;
  repo: string;
  runId: number;
  headSha: string;
  /** The PRs GitHub linked to the run: empty for a PR from a fork. */
  pullRequests: number[];
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

/**
 * The pull request of a `pull_request` or `pull_request_target` event (the payload's
 * repository is the base repository in both, where the comment goes); `undefined` for any
 * other event or a payload without a usable number, owner and name.
 */
export function pullRequestFromEvent(
  eventName: string,
  payload: unknown,
): PullRequestRef | undefined {
  if (!PULL_REQUEST_EVENTS.has(eventName) || !isRecord(payload)) return undefined;
  const pullRequest = isRecord(payload.pull_request) ? payload.pull_request : {};
  const number = pullRequest.number ?? payload.number;
  const repo = repositoryOf(payload);
  if (!isPositiveInteger(number) || !repo) return undefined;
  const baseSha = isRecord(pullRequest.base) ? pullRequest.base.sha : undefined;
  const repository = payload.repository as Record<string, unknown>;
  return {
    ...repo,
    number,
    ...(isSha(baseSha) ? { baseSha } : {}),
    ...(nonEmpty(repository.default_branch) ? { defaultBranch: repository.default_branch } : {}),
  };
}

/**
 * The triggering run of a `workflow_run` event; `undefined` for any other event or a payload
 * without a run id, head commit and repository.
 */
export function workflowRunFromEvent(
  eventName: string,
  payload: unknown,
): WorkflowRunRef | undefined {
  if (eventName !== 'workflow_run' || !isRecord(payload) || !isRecord(payload.workflow_run)) {
    return undefined;
  }
  const run = payload.workflow_run;
  const repo = repositoryOf(payload);
  if (!repo || !isPositiveInteger(run.id) || !isSha(run.head_sha)) return undefined;
  const pullRequests = (Array.isArray(run.pull_requests) ? run.pull_requests : [])
    .map((pr: unknown) => (isRecord(pr) ? pr.number : undefined))
    .filter(isPositiveInteger);
  return { ...repo, runId: run.id, headSha: run.head_sha, pullRequests };
}

function repositoryOf(
  payload: Record<string, unknown>,
): { owner: string; repo: string } | undefined {
  const repository = isRecord(payload.repository) ? payload.repository : {};
  const owner = isRecord(repository.owner) ? repository.owner.login : undefined;
  const repo = repository.name;
  return nonEmpty(owner) && nonEmpty(repo) ? { owner, repo } : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function nonEmpty(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isSha(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{40}$/i.test(value);
}
