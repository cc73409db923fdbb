import type { z } from 'zod';

/**
 * Renders a zod issue as one line that names the key, the value and what was expected:
 * "`stages.ramp.users`: got -5, expected a positive integer".
 * `labelFor` lets the caller name where a value came from (an action input, a CLI flag).
 */
export function formatIssue(
  issue: z.core.$ZodIssue,
  root: unknown,
  schema: z.ZodType,
  labelFor: (path: string) => string | undefined = () => undefined,
): string {
  const path = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys(schema, issue.path);
    return issue.keys
      .map((key) => {
        const suggestion = closest(key, known);
        const hint = suggestion
          ? ` (did you mean \`${suggestion}\`?)`
          : known.length > 0
            ? ` (expected one of: ${known.join(', ')})`
            : '';
        return `\`${formatPath([...issue.path, key])}\`: unknown key${hint}`;
      })
      .join('\n');
  }
  const label = labelFor(path) ?? (path ? `\`${path}\`` : 'the config');
  const value = valueAt(root, issue.path);
  const got = value === undefined ? 'nothing (the key is missing)' : describe(value);
  return `${label}: got ${got}, ${issue.message}`;
}

/** ["scenario", "tasks", 0, "request"] → "scenario.tasks[0].request". */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) =>
      typeof key === 'number'
        ? `[${key}]`
        : /^[A-Za-z_][\w-]*$/.test(String(key))
          ? `${i === 0 ? '' : '.'}${String(key)}`
          : `[${JSON.stringify(String(key))}]`,
    )
    .join('');
}

export function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'object') return 'a map';
  return String(value);
}

interface SchemaDef {
  type: string;
  in?: z.ZodType;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
}

function def(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** The keys an object schema accepts at `path` (walking through defaults, pipes, lists, maps). */
function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let current: z.ZodType | undefined = schema;
  const rest = [...path];
  while (current) {
    const d = def(current);
    if (d.type === 'pipe') current = d.in;
    else if (['default', 'prefault', 'optional', 'nullable', 'catch'].includes(d.type)) {
      current = d.innerType;
    } else if (rest.length === 0) {
      return d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
    } else {
      const key = rest.shift();
      if (d.type === 'object') current = d.shape?.[String(key)];
      else if (d.type === 'array') current = d.element;
      else if (d.type === 'record') current = d.valueType;
      else return [];
    }
  }
  return [];
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      // a transposition ("p59" for "p95") counts as one edit
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        current[j] = Math.min(current[j] as number, (beforePrevious[j - 2] as number) + 1);
      }
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] as number;
}
