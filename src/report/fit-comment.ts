/** GitHub rejects issue comments over 65,536 characters. */
export const COMMENT_LIMIT = 65_536;

/**
 * Drops collapsible sections from the end (the least important evidence) until the body fits,
 * then says where the full report is. Never cuts inside a section.
 */
export function fitComment(markdown: string, note: string, limit = COMMENT_LIMIT): string {
  if (markdown.length <= limit) return markdown;
  const sections = markdown.split(/(?=<details>)/);
  const footer = `\n\n> ${note}\n`;
  while (sections.length > 1 && sections.join('').length + footer.length > limit) sections.pop();
  const body = sections.join('');
  return body.length + footer.length > limit
    ? `${body.slice(0, limit - footer.length - 1)}${footer}`
    : body + footer;
}
