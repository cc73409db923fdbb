/**
 * The parts of an OpenAPI 3.0 / 3.1 document loadgate reads, and `$ref` resolution inside it.
 * Plain data: the document as parsed from JSON or YAML.
 */

/** Where the document is looked for when `openapi` is not set (FastAPI's and others' default). */
export const DEFAULT_SPEC_PATH = '/openapi.json';

export type JsonObject = Record<string, unknown>;

export interface OpenApiDocument {
  openapi: string;
  info?: { title?: unknown; version?: unknown };
  servers?: { url?: string }[];
  paths: Record<string, JsonObject>;
  components?: JsonObject;
  security?: SecurityRequirement[];
}

/** Scheme name → scopes; an empty object means "no authentication" is one of the choices. */
export type SecurityRequirement = Record<string, string[]>;

/** The lower-case methods an OpenAPI path item may hold. */
export const OPERATION_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `value` with its local `$ref` (`#/components/...`) followed, as often as it chains; an
 * unresolvable or circular reference gives an empty object (nothing is then checked).
 */
export function resolveRef(spec: OpenApiDocument, value: unknown): JsonObject {
  let current = value;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (!ref.startsWith('#/') || seen.has(ref)) return {};
    seen.add(ref);
    current = ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>(
        (node, key) => (isObject(node) ? node[key] : undefined),
        spec as unknown as JsonObject,
      );
  }
  return isObject(current) ? current : {};
}

/**
 * Why `value` is not an OpenAPI 3 document, or undefined when it is one (3.0 or 3.1, with
 * `paths`).
 */
export function notOpenApi(value: unknown): string | undefined {
  if (!isObject(value)) return 'not a JSON or YAML object';
  if (typeof value.swagger === 'string') {
    return `a Swagger ${value.swagger} document, expected OpenAPI 3.0 or 3.1`;
  }
  if (typeof value.openapi !== 'string') return 'no `openapi` version field';
  if (!/^3\.[01]\./.test(value.openapi)) {
    return `OpenAPI ${value.openapi}, expected 3.0 or 3.1`;
  }
  if (!isObject(value.paths)) return 'no `paths` object';
  return undefined;
}
