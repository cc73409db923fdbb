/** The pull request an event is about: pull_request and pull_request_target events only. */
export function pullRequestFromEvent(
  eventName: string,
  payload: unknown,
): { owner: string; repo: string; number: number } | undefined {
  if (eventName !== 'pull_request' && eventName !== 'pull_request_target') return undefined;
  const event = payload as {
    pull_request?: { number?: unknown };
    number?: unknown;
    repository?: { name?: unknown; owner?: { login?: unknown } };
  } | null;
  const number = event?.pull_request?.number ?? event?.number;
  const owner = event?.repository?.owner?.login;
  const repo = event?.repository?.name;
  if (typeof number !== 'number' || typeof owner !== 'string' || typeof repo !== 'string')
    return undefined;
  return { owner, repo, number };
}
