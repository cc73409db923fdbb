import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * GitHub's published OpenAPI description (api.github.com, from `@octokit/openapi`): loaded once
 * per process, and a router from a method + path to the operation that serves it.
 *
 * Only `generated/api.github.com.json` is read: the package's index loads ten variants (~900 MB).
 */

export type JsonObject = Record<string, unknown>;

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonObject;
}

export interface Operation {
  method: string;
  /** The path template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}/comments`. */
  template: string;
  operationId: string;
  parameters: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonObject }> };
  responses: Record<string, { content?: Record<string, { schema?: JsonObject }> }>;
}

export interface OpenApiSpec {
  openapi: string;
  paths: Record<string, Record<string, JsonObject>>;
  components: { schemas: Record<string, JsonObject> } & Record<string, Record<string, JsonObject>>;
}

export type RouteMatch =
  | { kind: 'operation'; operation: Operation; pathParams: Record<string, string> }
  | { kind: 'unknown-path' }
  | { kind: 'unknown-method'; template: string; allowed: string[] };

interface Route {
  template: string;
  pattern: RegExp;
  paramNames: string[];
  /** One letter per segment, `L`iteral or `P`arameter: literals win over parameters. */
  specificity: string;
}

let spec: OpenApiSpec | undefined;
let routes: Route[] | undefined;
const operations = new Map<string, Operation>();

/** The parsed description; read from disk on first use only. */
export function githubSpec(): OpenApiSpec {
  if (!spec) {
    const require = createRequire(import.meta.url);
    const file = require.resolve('@octokit/openapi/generated/api.github.com.json');
    spec = JSON.parse(readFileSync(file, 'utf8')) as OpenApiSpec;
  }
  return spec;
}

/** Follows `$ref`s (`#/components/...`) until a concrete object. */
export function resolveRef<T = JsonObject>(value: unknown): T {
  let current = value as JsonObject;
  for (let depth = 0; typeof current?.$ref === 'string'; depth++) {
    if (depth > 32) throw new Error(`$ref loop at ${String(current.$ref)}`);
    current = lookupPointer(current.$ref);
  }
  return current as T;
}

function lookupPointer(ref: string): JsonObject {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
  let node: unknown = githubSpec();
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as JsonObject | undefined)?.[key];
  }
  if (node === undefined) throw new Error(`unresolvable $ref ${ref}`);
  return node as JsonObject;
}

/** The operation for a method and a request path (already without query), as GitHub routes it. */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const candidates = allRoutes()
    .map((route) => ({ route, match: route.pattern.exec(pathname) }))
    .filter((c): c is { route: Route; match: RegExpExecArray } => c.match !== null)
    .sort((a, b) => a.route.specificity.localeCompare(b.route.specificity));
  if (candidates.length === 0) return { kind: 'unknown-path' };
  const verb = method.toLowerCase();
  for (const { route, match } of candidates) {
    const operation = operationAt(route.template, verb);
    if (!operation) continue;
    const pathParams: Record<string, string> = {};
    route.paramNames.forEach((name, i) => {
      pathParams[name] = decodeURIComponent(match[i + 1] ?? '');
    });
    return { kind: 'operation', operation, pathParams };
  }
  const best = candidates[0]!.route.template;
  return {
    kind: 'unknown-method',
    template: best,
    allowed: Object.keys(githubSpec().paths[best] ?? {}).map((m) => m.toUpperCase()),
  };
}

/** The operation at a path template, with its `$ref`'d parameters resolved; cached. */
export function operationAt(template: string, method: string): Operation | undefined {
  const verb = method.toLowerCase();
  const key = `${verb} ${template}`;
  const cached = operations.get(key);
  if (cached) return cached;
  const raw = githubSpec().paths[template]?.[verb];
  if (!raw) return undefined;
  const operation: Operation = {
    method: verb.toUpperCase(),
    template,
    operationId: String(raw.operationId),
    parameters: ((raw.parameters as unknown[] | undefined) ?? []).map((p) =>
      resolveRef<Parameter>(p),
    ),
    requestBody: raw.requestBody ? resolveRef(raw.requestBody) : undefined,
    responses: Object.fromEntries(
      Object.entries((raw.responses as JsonObject | undefined) ?? {}).map(([status, r]) => [
        status,
        resolveRef(r),
      ]),
    ),
  };
  operations.set(key, operation);
  return operation;
}

function allRoutes(): Route[] {
  if (!routes) {
    routes = Object.keys(githubSpec().paths).map((template) => toRoute(template));
  }
  return routes;
}

function toRoute(template: string): Route {
  const paramNames: string[] = [];
  const multiSegment = multiSegmentParams(template);
  let specificity = '';
  const source = template
    .split('/')
    .slice(1)
    .map((segment) => {
      specificity += segment.includes('{') ? 'P' : 'L';
      return segment
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const param = /^\{([^}]+)\}$/.exec(part);
          if (!param) return escapeRegExp(part);
          paramNames.push(param[1]!);
          return multiSegment.has(param[1]!) ? '(.+)' : '([^/]+?)';
        })
        .join('');
    })
    .join('/');
  return { template, pattern: new RegExp(`^/${source}$`), paramNames, specificity };
}

/** Path parameters that may contain slashes (`x-multi-segment`, e.g. a git ref). */
function multiSegmentParams(template: string): Set<string> {
  const names = new Set<string>();
  for (const raw of Object.values(githubSpec().paths[template] ?? {})) {
    for (const p of (raw.parameters as unknown[] | undefined) ?? []) {
      const param = resolveRef<Parameter & { schema?: JsonObject }>(p);
      if (param.in === 'path' && param.schema?.['x-multi-segment'] === true) names.add(param.name);
    }
  }
  return names;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
