/** Text laid out for a terminal: echoed content made inert, and columns measured as displayed. */

// C0 and C1 controls (ESC starts a terminal escape sequence), tabs and newlines included
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// eslint-disable-next-line no-control-regex -- the report's own colour codes take no cell
const ANSI = /\u001b\[[0-9;]*m/g;

/**
 * One line of echoed text (an endpoint name, an error, a response excerpt) made harmless for a
 * terminal: control characters (escape sequences a server could inject) become spaces.
 */
export function plain(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(CONTROL, ' ');
}

/** Like `plain`, keeping the line breaks: each line of a multi-line message made harmless. */
export function plainLines(text: string): string[] {
  return text.split(/\r?\n/).map(plain);
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Marks, format characters (zero-width joiner, variation selectors) and controls take no cell. */
const ZERO_WIDTH = /^[\p{M}\p{Cf}\p{Cc}]+$/u;
/** Emoji shown as pictures, and an emoji-style variation selector, take two cells. */
const EMOJI = /\p{Emoji_Presentation}|\uFE0F/u;

/** East Asian wide and fullwidth ranges (Hangul, CJK, kana, fullwidth forms, …): two cells. */
function isWide(code: number): boolean {
  return (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0x303e) ||
    (code >= 0x3041 && code <= 0x33ff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xa000 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x20000 && code <= 0x3fffd)
  );
}

/**
 * How many terminal cells the text takes: per grapheme (an accented letter written as e + mark
 * is one), two for wide characters and emoji, none for marks; colour codes take none.
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const { segment } of segmenter.segment(text.replace(ANSI, ''))) {
    if (ZERO_WIDTH.test(segment)) continue;
    width += EMOJI.test(segment) || isWide(segment.codePointAt(0) ?? 0) ? 2 : 1;
  }
  return width;
}

/** Pads with spaces to `width` cells, on the right (text) or on the left (numbers). */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'left' ? text + fill : fill + text;
}

export interface Column {
  header: string;
  align?: 'left' | 'right';
}

/**
 * An aligned table, as Locust prints its statistics: each column as wide as its widest cell,
 * two spaces between columns, a rule under the header; no trailing spaces.
 */
export function alignedTable(columns: Column[], rows: string[][]): string[] {
  const widths = columns.map((c, i) =>
    Math.max(displayWidth(c.header), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i] ?? 0, columns[i]?.align))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.header)),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.map(line),
  ];
}
