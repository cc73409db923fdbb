import type { Octokit } from './octokit.js';

export interface StickyCommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Hidden HTML comment that identifies this comment, e.g. `<!-- loadgate:default -->`. */
  marker: string;
  body: string;
}

export interface StickyCommentResult {
  id: number;
  action: 'created' | 'updated' | 'unchanged';
  url: string;
}

/**
 * Creates the comment, or updates the one carrying the marker in place. Every page of comments
 * is searched; among marked comments, one written by a bot (the GITHUB_TOKEN's identity) wins.
 * An unchanged body is not re-posted.
 */
export async function upsertStickyComment(
  octokit: Octokit,
  target: StickyCommentTarget,
): Promise<StickyCommentResult> {
  const { owner, repo, issueNumber, marker } = target;
  const body = target.body.includes(marker) ? target.body : `${marker}\n${target.body}`;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const marked = comments.filter((c) => c.body?.includes(marker));
  const existing = marked.find((c) => c.user?.type === 'Bot') ?? marked[0];
  if (existing) {
    if (existing.body === body)
      return { id: existing.id, action: 'unchanged', url: existing.html_url };
    const { data } = await octokit.rest.issues.updateComment({
      owner,
      repo,
      comment_id: existing.id,
      body,
    });
    return { id: data.id, action: 'updated', url: data.html_url };
  }
  const { data } = await octokit.rest.issues.createComment({
    owner,
    repo,
    issue_number: issueNumber,
    body,
  });
  return { id: data.id, action: 'created', url: data.html_url };
}
