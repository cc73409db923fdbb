import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import { ROOT } from './demo-stack.js';

/**
 * GitHub's published OpenAPI description (api.github.com, from @octokit/openapi), loaded once
 * per process. Only `generated/api.github.com.json` is read: the package index loads ten
 * variants (~900 MB). OpenAPI 3.0 `nullable` is turned into JSON Schema before ajv sees it.
 */
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: unknown;
}
interface Operation {
  operationId: string;
  parameters?: ({ $ref: string } | Parameter)[];
  requestBody?: { required?: boolean; content: Record<string, { schema: unknown }> };
  responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }>;
}
interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
}

export interface MatchedOperation {
  template: string;
  method: string;
  operation: Operation;
  params: Record<string, string>;
}

let loaded:
  | { spec: Spec; ajv: Ajv; routes: { regex: RegExp; template: string; names: string[] }[] }
  | undefined;
const validators = new Map<string, ValidateFunction>();

function load() {
  if (loaded) return loaded;
  const file = path.join(
    ROOT,
    'node_modules',
    '@octokit',
    'openapi',
    'generated',
    'api.github.com.json',
  );
  const spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  // ajv-formats is CommonJS with a default export: take it from either shape
  const addFormats = ((formats as unknown as { default?: typeof formats }).default ??
    formats) as unknown as (a: Ajv) => void;
  addFormats(ajv);
  ajv.addSchema({ $id: 'github', components: toJsonSchema(spec.components) as object });
  const routes = Object.keys(spec.paths).map((template) => {
    const names: string[] = [];
    const regex = new RegExp(
      `^${template
        .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
        .replace(/\\?\{([^}]+)\\?\}|\{([^}]+)\}/g, (_m, a, b) => {
          names.push(a ?? b);
          return '([^/]+)';
        })}$`,
    );
    return { regex, template, names };
  });
  loaded = { spec, ajv, routes };
  return loaded;
}

/** OpenAPI 3.0 → JSON Schema: `nullable` becomes a null type, refs point into the added spec. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'example' || key === 'examples' || key === 'discriminator' || key === 'xml')
      continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/'))
      out.$ref = `github${value}`;
    else out[key] = toJsonSchema(value);
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.enum) out.enum = [...(out.enum as unknown[]), null];
    else return { anyOf: [out, { type: 'null' }] };
    if (out.enum && !(out.enum as unknown[]).includes(null))
      out.enum = [...(out.enum as unknown[]), null];
  }
  return out;
}

export function matchOperation(method: string, pathname: string): MatchedOperation | undefined {
  const { spec, routes } = load();
  for (const route of routes) {
    const match = route.regex.exec(pathname);
    const operation = match && spec.paths[route.template]?.[method.toLowerCase()];
    if (match && operation) {
      const params = Object.fromEntries(
        route.names.map((n, i) => [n, decodeURIComponent(match[i + 1] as string)]),
      );
      return { template: route.template, method: method.toUpperCase(), operation, params };
    }
  }
  return undefined;
}

function resolveRef<T>(value: unknown): T {
  const ref = (value as { $ref?: string }).$ref;
  if (!ref) return value as T;
  const parts = ref.replace(/^#\//, '').split('/');
  let current: unknown = load().spec;
  for (const part of parts) current = (current as Record<string, unknown>)[part];
  return current as T;
}

function validator(key: string, schema: unknown): ValidateFunction {
  const cached = validators.get(key);
  if (cached) return cached;
  const validate = load().ajv.compile(toJsonSchema(schema) as object);
  validators.set(key, validate);
  return validate;
}

function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message}`)
    .join('; ');
}

/** Problems of a request against its operation: path and query parameters, JSON body. */
export function validateRequest(
  match: MatchedOperation,
  query: URLSearchParams,
  body: unknown,
): string[] {
  const problems: string[] = [];
  for (const raw of match.operation.parameters ?? []) {
    const parameter = resolveRef<Parameter>(raw);
    const value =
      parameter.in === 'path'
        ? match.params[parameter.name]
        : parameter.in === 'query'
          ? query.get(parameter.name)
          : undefined;
    if (parameter.in === 'header') continue;
    if (value === undefined || value === null) {
      if (parameter.required) problems.push(`missing ${parameter.in} parameter ${parameter.name}`);
      continue;
    }
    const schema = parameter.schema as { type?: string } | undefined;
    const coerced = schema?.type === 'integer' || schema?.type === 'number' ? Number(value) : value;
    const validate = validator(
      `${match.operation.operationId}:param:${parameter.name}`,
      schema ?? {},
    );
    if (!validate(coerced))
      problems.push(
        `${parameter.in} parameter ${parameter.name}=${value}: ${describeErrors(validate)}`,
      );
  }
  for (const name of query.keys()) {
    const known = (match.operation.parameters ?? []).some(
      (raw) => resolveRef<Parameter>(raw).name === name,
    );
    if (!known) problems.push(`unknown query parameter ${name}`);
  }
  const requestBody = match.operation.requestBody;
  if (requestBody) {
    if (body === undefined) {
      if (requestBody.required) problems.push('missing JSON body');
    } else {
      const schema = requestBody.content['application/json']?.schema;
      const validate = validator(`${match.operation.operationId}:body`, schema ?? {});
      if (!validate(body)) problems.push(`body: ${describeErrors(validate)}`);
    }
  } else if (body !== undefined) {
    problems.push('a body was sent to an operation that takes none');
  }
  return problems;
}

/** Problems of a response against the operation's declared response for that status. */
export function validateResponse(match: MatchedOperation, status: number, body: unknown): string[] {
  const declared = match.operation.responses[String(status)];
  if (!declared)
    return [`status ${status} is not a documented response of ${match.operation.operationId}`];
  const response = resolveRef<{ content?: Record<string, { schema: unknown }> }>(declared);
  const schema = response.content?.['application/json']?.schema;
  if (!schema)
    return body === undefined
      ? []
      : [`status ${status} of ${match.operation.operationId} has no body`];
  const validate = validator(`${match.operation.operationId}:response:${status}`, schema);
  return validate(body)
    ? []
    : [`response ${status} of ${match.operation.operationId}: ${describeErrors(validate)}`];
}
