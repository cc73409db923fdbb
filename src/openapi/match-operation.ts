import { isObject, OPERATION_METHODS, type JsonObject, type OpenApiDocument } from './spec.js';

export type OperationMatch =
  | {
      kind: 'operation';
      template: string;
      method: string;
      operation: JsonObject;
      pathItem: JsonObject;
    }
  | { kind: 'unknown-path' }
  | { kind: 'unknown-method'; template: string; allowed: string[] };

/** A scenario placeholder (`${id}`, `${env.X}`) stands for any one path segment. */
const PLACEHOLDER = /\$\{[^}]*\}/;

/**
 * The operation of `spec` that serves `method` on `path` (a scenario's path, possibly with
 * `${...}` placeholders, without its query string). Templated paths (`/users/{id}`) match any
 * concrete segment; a literal path wins over a templated one, as routers do. `prefixes` are the
 * base paths the spec's paths are relative to (its servers' paths); '' is always tried.
 */
export function matchOperation(
  spec: OpenApiDocument,
  method: string,
  path: string,
  prefixes: string[] = [],
): OperationMatch {
  const candidates = [...new Set([...prefixes, ''])]
    .filter((prefix) => path === prefix || path.startsWith(`${prefix}/`) || prefix === '')
    .map((prefix) => path.slice(prefix.length) || '/');
  let best: { template: string; literal: number } | undefined;
  for (const candidate of candidates) {
    for (const template of Object.keys(spec.paths)) {
      const literal = templateMatch(template, candidate);
      if (literal !== undefined && (!best || literal > best.literal)) best = { template, literal };
    }
  }
  if (!best) return { kind: 'unknown-path' };
  const pathItem = spec.paths[best.template] ?? {};
  const allowed = OPERATION_METHODS.filter((m) => isObject(pathItem[m]));
  const wanted = method.toLowerCase();
  // servers answer HEAD wherever they answer GET
  const served = allowed.includes(wanted as (typeof allowed)[number])
    ? wanted
    : wanted === 'head' && allowed.includes('get')
      ? 'get'
      : undefined;
  if (!served) {
    return { kind: 'unknown-method', template: best.template, allowed: allowed.map(upper) };
  }
  return {
    kind: 'operation',
    template: best.template,
    method: upper(served),
    operation: pathItem[served] as JsonObject,
    pathItem,
  };
}

const upper = (m: string) => m.toUpperCase();

/**
 * How many literal segments of `template` matched `path`, or undefined when it does not match.
 * A segment such as `{id}` or `{id}.json` matches any text (a scenario placeholder included).
 */
function templateMatch(template: string, path: string): number | undefined {
  const wanted = template.split('/');
  const given = path.split('/');
  if (wanted.length !== given.length) return undefined;
  let literal = 0;
  for (const [i, part] of wanted.entries()) {
    const segment = given[i] as string;
    if (!part.includes('{')) {
      if (part !== segment) return undefined;
      literal += 1;
      continue;
    }
    if (PLACEHOLDER.test(segment)) continue;
    const pattern = part
      .split(/\{[^}]*\}/)
      .map((text) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
      .join('[^/]+');
    if (!new RegExp(`^${pattern}$`).test(decodeSegment(segment))) return undefined;
  }
  return literal;
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
