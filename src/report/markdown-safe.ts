/** Helpers that keep echoed content (response bodies, log lines) from breaking or abusing markdown. */

/** Escapes text for a table cell or a line: HTML, pipes, newlines, @mentions and #refs. */
export function inline(text: string): string {
  return neutralize(
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/\|/g, '\\|')
      .replace(/\r?\n/g, ' '),
  );
}

/** Stops `@user` from pinging and `#123` / `GH-1` from linking: a zero-width joiner after the sigil. */
export function neutralize(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9])/g, '@\u200d').replace(/#(?=\d)/g, '#\u200d');
}

/** A fenced code block whose fence is longer than any backtick run inside. */
export function codeBlock(text: string, language = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${neutralize(text)}\n${fence}`;
}

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function details(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`;
}
