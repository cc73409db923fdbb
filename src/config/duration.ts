const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses "500ms", "30s", "1.5m", "2h" into milliseconds; undefined when malformed. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (UNIT_MS[match[2] as string] as number));
}

/** Renders milliseconds the way a config would write them: 500ms, 30s, 2m. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000 || ms % 60_000 !== 0) return `${+(ms / 1000).toFixed(1)}s`;
  return `${ms / 60_000}m`;
}

export interface ThinkTime {
  minMs: number;
  maxMs: number;
}

/** Parses a think time: "none", "1s" (fixed) or "0.5s..1.5s" (uniform range). */
export function parseThink(text: string): ThinkTime | undefined {
  if (text.trim() === 'none') return { minMs: 0, maxMs: 0 };
  const parts = text.split('..');
  if (parts.length > 2) return undefined;
  const [min, max = min] = parts.map((part) => parseDuration(part));
  if (min === undefined || max === undefined || max < min) return undefined;
  return { minMs: min, maxMs: max };
}
