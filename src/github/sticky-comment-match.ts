/**
 * Decisions about the sticky comment, on plain data: the marker, and which existing comment is
 * ours. The requests live in sticky-comment.ts.
 */

/** What the decisions need from a GitHub issue comment. */
export interface CommentLike {
  id: number;
  body?: string | null;
  user: { login: string; type: string } | null;
}

/** The identity behind a workflow's GITHUB_TOKEN. */
export const GITHUB_ACTIONS_LOGIN = 'github-actions[bot]';

/** Throws unless `marker` is one hidden HTML comment, e.g. `<!-- loadgate:default -->`. */
export function assertMarker(marker: string): void {
  if (!/^<!--(?:(?!-->)[\s\S])+-->$/.test(marker)) {
    throw new Error(
      `The sticky comment marker must be a hidden HTML comment such as "<!-- loadgate:default -->", got ${JSON.stringify(marker)}.`,
    );
  }
}

/** The body with the marker on its first line, unless the body already carries it. */
export function withMarker(body: string, marker: string): string {
  return body.includes(marker) ? body : `${marker}\n${body}`;
}

/** Same text once line endings are normalized (GitHub may hand bodies back with CRLF). */
export function isSameBody(a: string, b: string): boolean {
  return a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}

/**
 * The comment to update on one page: the first one carrying the marker written by a bot (a
 * GITHUB_TOKEN cannot ask `GET /user` who it is, so "a bot" is the best that can be known),
 * else the first one carrying the marker at all (`own: false`, e.g. a personal token's).
 */
export function pickStickyComment<T extends CommentLike>(
  comments: readonly T[],
  marker: string,
): { comment: T; own: boolean } | undefined {
  const marked = comments.filter((c) => c.body?.includes(marker));
  const own = marked.find(isBotComment);
  if (own) return { comment: own, own: true };
  return marked[0] ? { comment: marked[0], own: false } : undefined;
}

function isBotComment(comment: CommentLike): boolean {
  return comment.user?.type === 'Bot' || comment.user?.login === GITHUB_ACTIONS_LOGIN;
}
