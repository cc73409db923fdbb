/**
 * Whether the terminal report is coloured. FORCE_COLOR decides when set to a value: `0` or
 * `false` turns colour off, any other value (`1`, `2`, `3`, `true`) on, even when piped. Else
 * NO_COLOR set to a value turns it off (https://no-color.org), as does TERM=dumb; else colour
 * when the output is a terminal. Empty values count as unset. Pure.
 */
export function useColour(env: Record<string, string | undefined>, isTTY: boolean): boolean {
  const force = env.FORCE_COLOR;
  if (force) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR) return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';

const SGR: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

/** A painter: wraps text in ANSI SGR codes when colour is on, returns it unchanged when off. */
export function painter(colour: boolean): (style: Style, text: string) => string {
  return (style, text) =>
    colour && text ? `\u001b[${SGR[style][0]}m${text}\u001b[${SGR[style][1]}m` : text;
}
