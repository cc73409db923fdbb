/** The pull request a workflow run is about. */
export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
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
  const repository = isRecord(payload.repository) ? payload.repository : {};
  const owner = isRecord(repository.owner) ? repository.owner.login : undefined;
  const repo = repository.name;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) return undefined;
  if (typeof owner !== 'string' || owner === '' || typeof repo !== 'string' || repo === '') {
    return undefined;
  }
  return { owner, repo, number };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
