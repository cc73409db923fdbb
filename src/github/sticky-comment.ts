import type { Octokit } from './octokit.js';
import { assertMarker, isSameBody, pickStickyComment, withMarker } from './sticky-comment-match.js';

export interface StickyCommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  /** A hidden HTML comment that identifies the comment, e.g. `<!-- loadgate:default -->`. */
  marker: string;
  body: string;
}

export interface StickyCommentResult {
  id: number;
  action: 'created' | 'updated' | 'unchanged';
  /** The comment's html_url. */
  url: string;
}

/**
 * Creates the PR comment, or updates in place the one that carries the marker (searched on
 * every page of the conversation); an unchanged body is not sent again. Request errors are
 * octokit's `RequestError`s, whose `status` the caller reads (403: fork PR, missing permission).
 * With `create: false` only an existing comment is updated (`undefined` when there is none).
 */
export async function upsertStickyComment(
  octokit: Octokit,
  target: StickyCommentTarget,
  options: { create: false },
): Promise<StickyCommentResult | undefined>;
export async function upsertStickyComment(
  octokit: Octokit,
  target: StickyCommentTarget,
  options?: { create?: true },
): Promise<StickyCommentResult>;
export async function upsertStickyComment(
  octokit: Octokit,
  target: StickyCommentTarget,
  options: { create?: boolean } = {},
): Promise<StickyCommentResult | undefined> {
  const { owner, repo, issueNumber, marker } = target;
  assertMarker(marker);
  const body = withMarker(target.body, marker);
  const existing = await findStickyComment(octokit, target);

  if (!existing && options.create === false) return undefined;
  if (!existing) {
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issueNumber,
      body,
    });
    return { id: data.id, action: 'created', url: data.html_url };
  }
  if (isSameBody(existing.body ?? '', body)) {
    return { id: existing.id, action: 'unchanged', url: existing.html_url };
  }
  const { data } = await octokit.rest.issues.updateComment({
    owner,
    repo,
    comment_id: existing.id,
    body,
  });
  return { id: data.id, action: 'updated', url: data.html_url };
}

async function findStickyComment(octokit: Octokit, target: StickyCommentTarget) {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: target.owner,
    repo: target.repo,
    issue_number: target.issueNumber,
    per_page: 100,
  });
  let fallback: Awaited<ReturnType<typeof octokit.rest.issues.getComment>>['data'] | undefined;
  for await (const { data } of pages) {
    const pick = pickStickyComment(data, target.marker);
    if (pick?.own) return pick.comment; // ours: no need to read further pages
    fallback ??= pick?.comment;
  }
  return fallback;
}
