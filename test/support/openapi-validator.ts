import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import {
  githubSpec,
  resolveRef,
  type JsonObject,
  type Operation,
  type Parameter,
} from './openapi-spec.js';

/**
 * Checks requests and responses against the operation's schemas in GitHub's OpenAPI
 * description. Schemas are converted from OpenAPI 3.0 (`nullable`, annotations) to JSON Schema
 * and compiled lazily, only for the operations that are hit; compiled validators are cached.
 */

export interface RequestProblem {
  where: 'path' | 'query' | 'body';
  message: string;
  /** GitHub would refuse the request; otherwise it would silently ignore the part (unknown key). */
  rejected: boolean;
}

export interface RequestParts {
  pathParams: Record<string, string>;
  query: URLSearchParams;
  /** `undefined` when the request had no body. */
  body: unknown;
}

const COMPONENT_ID = 'https://api.github.com/openapi/components/schemas/';

/** JSON Schema keywords kept from OpenAPI schema objects; the rest (example, x-*, ...) are dropped. */
const KEYWORDS = new Set([
  'type',
  'format',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
]);

let ajv: Ajv | undefined;
const added = new Set<string>();
const compiled = new Map<string, ValidateFunction>();

function validator(): Ajv {
  if (!ajv) {
    ajv = new Ajv({
      allErrors: true,
      strictSchema: true,
      strictTypes: false,
      strictTuples: false,
      strictRequired: false,
    });
    addFormats.default(ajv);
    // "owner/name": the only custom format in the description.
    ajv.addFormat('repo.nwo', /^[\w.-]+\/[\w.-]+$/);
  }
  return ajv;
}

/** Problems with a request, in GitHub's order: path, then query, then body. */
export function checkRequest(operation: Operation, parts: RequestParts): RequestProblem[] {
  const problems: RequestProblem[] = [];
  for (const where of ['path', 'query'] as const) {
    const params = operation.parameters.filter((p) => p.in === where);
    const values =
      where === 'path' ? coerceRecord(params, parts.pathParams) : coerceQuery(params, parts.query);
    const errors = validate(
      `${operation.operationId} ${where}`,
      () => paramsSchema(params),
      values,
    );
    problems.push(...errors.map((message) => ({ where, message, rejected: true })));
    if (where === 'query') {
      const known = new Set(params.map((p) => p.name));
      for (const name of new Set(parts.query.keys())) {
        if (!known.has(name) && !known.has(name.replace(/\[\]$/, ''))) {
          problems.push({
            where,
            message: `unknown query parameter "${name}"`,
            rejected: false,
          });
        }
      }
    }
  }
  problems.push(...checkBody(operation, parts.body));
  return problems;
}

function checkBody(operation: Operation, body: unknown): RequestProblem[] {
  const schema = operation.requestBody?.content?.['application/json']?.schema;
  if (body === undefined) {
    return operation.requestBody?.required
      ? [{ where: 'body', message: 'a JSON body is required', rejected: true }]
      : [];
  }
  if (!operation.requestBody) {
    return [{ where: 'body', message: 'this operation takes no body', rejected: false }];
  }
  if (!schema) return [];
  const problems: RequestProblem[] = validate(
    `${operation.operationId} body`,
    () => toJsonSchema(schema),
    body,
  ).map((message) => ({ where: 'body', message, rejected: true }));
  // GitHub ignores unknown keys; a client that sends one has a typo or a stale field.
  const top = resolveRef(schema);
  if (isObject(body) && isObject(top.properties) && top.additionalProperties === undefined) {
    for (const key of Object.keys(body)) {
      if (!(key in top.properties)) {
        problems.push({
          where: 'body',
          message: `unknown body property "${key}"`,
          rejected: false,
        });
      }
    }
  }
  return problems;
}

/**
 * Problems with a response: its status must be documented for the operation (any error status
 * may also carry GitHub's `basic-error`), and its body must match that status's schema.
 */
export function checkResponse(
  operation: Operation | undefined,
  status: number,
  body: unknown,
): string[] {
  const documented = operation?.responses[String(status)];
  if (!documented) {
    if (status < 400) {
      return [`status ${status} is not documented for ${operation?.operationId ?? 'this path'}`];
    }
    return validate('basic-error', () => componentRef('basic-error'), body);
  }
  const content = documented.content;
  if (!content) {
    return body === undefined ? [] : [`status ${status} is documented without a body`];
  }
  const schema = (content['application/json'] ?? Object.values(content)[0])?.schema;
  if (!schema) return [];
  return validate(`${operation.operationId} ${status}`, () => toJsonSchema(schema), body);
}

/** A `$ref` to a component schema, e.g. `issue-comment`, usable as a whole schema. */
export function componentRef(name: string): JsonObject {
  if (!githubSpec().components.schemas[name]) throw new Error(`no schema "${name}" in the spec`);
  return toJsonSchema({ $ref: `#/components/schemas/${name}` });
}

/** Validates `value` with a schema compiled once under `key`; returns readable problems. */
export function validate(key: string, schema: () => JsonObject, value: unknown): string[] {
  let fn = compiled.get(key);
  if (!fn) {
    fn = validator().compile(schema());
    compiled.set(key, fn);
  }
  return fn(value) ? [] : formatErrors(fn.errors ?? []);
}

function formatErrors(errors: ErrorObject[]): string[] {
  // oneOf/anyOf report every branch; the first few lines are what a reader needs.
  return errors.slice(0, 8).map((e) => {
    const where = e.instancePath || '(root)';
    const extra =
      e.keyword === 'enum'
        ? ` ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`
        : '';
    return `${where} ${e.message ?? e.keyword}${extra}`;
  });
}

/**
 * OpenAPI 3.0 schema object → JSON Schema (draft-07, as Ajv reads it): `nullable` becomes a
 * `null` type, annotations and vendor keys are dropped, component `$ref`s point at component
 * schemas registered in Ajv on demand (so recursive schemas work).
 */
export function toJsonSchema(schema: unknown): JsonObject {
  if (!isObject(schema)) return {};
  if (typeof schema.$ref === 'string') return { $ref: registerComponent(schema.$ref) };
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!KEYWORDS.has(key)) continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, sub]) => [name, toJsonSchema(sub)]),
      );
    } else if (
      (key === 'items' || key === 'not' || key === 'additionalProperties') &&
      isObject(value)
    ) {
      out[key] = toJsonSchema(value);
    } else if ((key === 'allOf' || key === 'anyOf' || key === 'oneOf') && Array.isArray(value)) {
      out[key] = value.map((sub) => toJsonSchema(sub));
    } else if (key === 'format' && typeof value === 'string' && !validator().formats[value]) {
      continue; // a format Ajv does not know is an annotation
    } else {
      out[key] = value;
    }
  }
  if (schema.nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [{ type: 'null' }, out] };
}

function registerComponent(ref: string): string {
  const prefix = '#/components/schemas/';
  if (!ref.startsWith(prefix)) throw new Error(`unexpected $ref in a schema: ${ref}`);
  const name = ref.slice(prefix.length);
  const id = COMPONENT_ID + encodeURIComponent(name);
  if (!added.has(name)) {
    added.add(name);
    const source = githubSpec().components.schemas[name];
    if (!source) throw new Error(`unresolvable $ref ${ref}`);
    validator().addSchema({ ...toJsonSchema(source), $id: id });
  }
  return id;
}

/** Path and query values arrive as strings: typed per the parameter's schema before checking. */
function coerceRecord(params: Parameter[], raw: Record<string, string>): JsonObject {
  const out: JsonObject = {};
  for (const p of params) {
    const value = raw[p.name];
    if (value !== undefined) out[p.name] = coerce(value, p.schema);
  }
  return out;
}

function coerceQuery(params: Parameter[], query: URLSearchParams): JsonObject {
  const out: JsonObject = {};
  for (const p of params) {
    const values = [...query.getAll(p.name), ...query.getAll(`${p.name}[]`)];
    if (values.length === 0) continue;
    const schema = resolveRef<JsonObject>(p.schema ?? {});
    if (schema.type === 'array') {
      const items = values.flatMap((v) => v.split(','));
      out[p.name] = items.map((v) => coerce(v, schema.items as JsonObject | undefined));
    } else {
      out[p.name] = coerce(values[values.length - 1]!, schema);
    }
  }
  return out;
}

function coerce(value: string, rawSchema: JsonObject | undefined): unknown {
  const schema = resolveRef<JsonObject>(rawSchema ?? {});
  if ((schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(value)) {
    return Number(value);
  }
  if (schema.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function paramsSchema(params: Parameter[]): JsonObject {
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, toJsonSchema(p.schema ?? {})])),
    required: params.filter((p) => p.required).map((p) => p.name),
  };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
