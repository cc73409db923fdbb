import { resolveRef, type JsonObject } from './openapi-spec.js';

/**
 * Values generated from GitHub's OpenAPI schemas, so the fake's bodies carry every property the
 * description requires (new required properties in a spec update are filled in, not forgotten).
 */

/** `value` with the required properties it lacks filled in, recursively. */
export function completeFromSchema(rawSchema: unknown, value: unknown): unknown {
  const schema = resolveRef<JsonObject>(rawSchema ?? {});
  if (!isObject(value)) return value;
  if (Array.isArray(schema.allOf)) {
    return schema.allOf.reduce<unknown>((acc, part) => completeFromSchema(part, acc), value);
  }
  const properties = isObject(schema.properties) ? schema.properties : {};
  const out: JsonObject = { ...value };
  for (const name of (schema.required as string[] | undefined) ?? []) {
    if (!(name in out)) out[name] = sampleFromSchema(properties[name]);
  }
  for (const [name, sub] of Object.entries(out)) {
    if (isObject(sub) && properties[name]) out[name] = completeFromSchema(properties[name], sub);
  }
  return out;
}

/** A plausible value for a schema: its example, else its first enum value, else by type. */
export function sampleFromSchema(rawSchema: unknown): unknown {
  const schema = resolveRef<JsonObject>(rawSchema ?? {});
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.example !== undefined && schema.type !== 'object') return schema.example;
  if (schema.nullable === true) return null;
  if (Array.isArray(schema.allOf)) return completeFromSchema(schema, {});
  const branches = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  if (branches?.[0] !== undefined) return sampleFromSchema(branches[0]);
  switch (schema.type) {
    case 'object':
      return completeFromSchema(schema, {});
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return false;
    case 'string':
      return sampleString(schema.format);
    default:
      return isObject(schema.properties) ? completeFromSchema(schema, {}) : null;
  }
}

function sampleString(format: unknown): string {
  switch (format) {
    case 'date-time':
      return '2011-04-14T16:00:49Z';
    case 'date':
      return '2011-04-14';
    case 'uri':
      return 'https://api.github.com/';
    case 'email':
      return 'octocat@github.com';
    default:
      return 'string';
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
