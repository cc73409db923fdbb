import type { RequestBody, Step } from '../config/schema.js';
import type { BodyKey, OpenApiMismatch, SchemeNeed } from '../model/openapi-evidence.js';
import { matchOperation } from './match-operation.js';
import {
  isObject,
  resolveRef,
  type JsonObject,
  type OpenApiDocument,
  type SecurityRequirement,
} from './spec.js';

export interface ScenarioToCheck {
  setup: Step[];
  tasks: Step[];
}

export interface CheckOptions {
  /** The config's `target` (its path is the prefix of every scenario path). */
  target: string;
  /** Where the document was read, to resolve relative `servers` URLs (else the target). */
  specUrl?: string;
}

/**
 * Every scenario request checked against the API's OpenAPI document: path, method, body media
 * type, required body fields and security scheme. Pure: the document and the steps in, the
 * mismatches out (at most one per step, the first that makes the request fail).
 */
export function checkScenario(
  spec: OpenApiDocument,
  scenario: ScenarioToCheck,
  options: CheckOptions,
): { checked: number; mismatches: OpenApiMismatch[] } {
  const target = new URL(options.target);
  const base = target.pathname.replace(/\/+$/, '');
  const prefixes = [...serverPaths(spec, options.specUrl ?? options.target), base];
  const steps = [
    ...scenario.setup.map((step, i) => ({ step, stepPath: `scenario.setup[${i}]` })),
    ...scenario.tasks.map((step, i) => ({ step, stepPath: `scenario.tasks[${i}]` })),
  ];
  let checked = 0;
  const mismatches: OpenApiMismatch[] = [];
  for (const { step, stepPath } of steps) {
    const path = pathOnTarget(step.request.url, target, base);
    if (path === undefined) continue;
    checked += 1;
    const mismatch = checkStep(spec, step, path, prefixes);
    if (mismatch) mismatches.push({ step: step.name, stepPath, ...mismatch });
  }
  return { checked, mismatches };
}

/** A mismatch before the step is named (Omit over each member of the union). */
type StepMismatch = OpenApiMismatch extends infer M
  ? M extends OpenApiMismatch
    ? Omit<M, 'step' | 'stepPath'>
    : never
  : never;

function checkStep(
  spec: OpenApiDocument,
  step: Step,
  path: string,
  prefixes: string[],
): StepMismatch | undefined {
  const { method } = step.request;
  const match = matchOperation(spec, method, path, prefixes);
  if (match.kind === 'unknown-path') {
    return { kind: 'unknown-path', method, path, similar: similarPaths(spec, path) };
  }
  if (match.kind === 'unknown-method') {
    // a CORS preflight is answered by middleware the document rarely describes
    if (method === 'OPTIONS') return undefined;
    return {
      kind: 'method-not-allowed',
      operation: `${method} ${match.template}`,
      method,
      allowed: match.allowed,
    };
  }
  const { operation } = match;
  const named = {
    operation: `${match.method} ${match.template}`,
    ...(typeof operation.operationId === 'string' ? { operationId: operation.operationId } : {}),
  };
  const body = bodyMismatch(spec, operation, step);
  if (body) return { ...named, ...body };
  const schemes = missingSecurity(spec, operation, step);
  if (schemes) return { ...named, kind: 'security-missing', schemes };
  return undefined;
}

function bodyMismatch(
  spec: OpenApiDocument,
  operation: JsonObject,
  step: Step,
): StepMismatch | undefined {
  const requestBody = resolveRef(spec, operation.requestBody);
  const content = isObject(requestBody.content) ? requestBody.content : {};
  const expected = Object.keys(content);
  const { body } = step.request;
  if (!body) {
    return requestBody.required === true && expected.length > 0
      ? { kind: 'body-missing', expected, fixKey: bodyKeyFor(expected[0] as string) }
      : undefined;
  }
  if (expected.length === 0) return undefined;
  const sent = sentMediaType(body, step.request.headers);
  if (sent === undefined) return undefined;
  const accepted = expected.find((type) => mediaTypeAccepts(type, sent));
  if (accepted === undefined) {
    return {
      kind: 'media-type',
      sent,
      sentKey: keyOf(body),
      expected,
      fixKey: bodyKeyFor(expected[0] as string),
    };
  }
  const sentFields = fieldNames(body);
  if (sentFields === undefined) return undefined;
  const media = content[accepted];
  const required = requiredFields(spec, isObject(media) ? media.schema : undefined);
  const fields = required.filter((f) => !sentFields.includes(f));
  return fields.length > 0
    ? { kind: 'fields-missing', mediaType: accepted, fields, sent: sentFields }
    : undefined;
}

/** The top-level required properties of a body schema (following `$ref` and `allOf`). */
function requiredFields(spec: OpenApiDocument, rawSchema: unknown, depth = 0): string[] {
  const schema = resolveRef(spec, rawSchema);
  const own = Array.isArray(schema.required)
    ? schema.required.filter((f): f is string => typeof f === 'string')
    : [];
  const parts = Array.isArray(schema.allOf) && depth < 10 ? schema.allOf : [];
  return [...new Set([...own, ...parts.flatMap((p) => requiredFields(spec, p, depth + 1))])];
}

/** The field names a body sends, or undefined when they cannot be told (a raw body, a template). */
function fieldNames(body: RequestBody): string[] | undefined {
  switch (body.kind) {
    case 'json':
      return isObject(body.value) ? Object.keys(body.value) : undefined;
    case 'form':
      return Object.keys(body.fields);
    case 'multipart':
      return [...Object.keys(body.fields), ...Object.keys(body.files)];
    case 'raw':
      return undefined;
  }
}

const keyOf = (body: RequestBody): BodyKey => (body.kind === 'raw' ? 'body' : body.kind);

function sentMediaType(body: RequestBody, headers: Record<string, string>): string | undefined {
  const header = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
  const type =
    header ??
    {
      json: 'application/json',
      form: 'application/x-www-form-urlencoded',
      multipart: 'multipart/form-data',
      raw: body.kind === 'raw' ? body.contentType : undefined,
    }[body.kind];
  return type === undefined || type.includes('${') ? undefined : bareType(type);
}

const bareType = (type: string) => (type.split(';')[0] as string).trim().toLowerCase();

const isJson = (type: string) =>
  type === 'application/json' || /^[\w.-]+\/[\w.-]+\+json$/.test(type);

/** Whether a media type of the spec (`application/*`, `*\/*` included) accepts `sent`. */
export function mediaTypeAccepts(specType: string, sent: string): boolean {
  const type = bareType(specType);
  if (type === sent || type === '*/*') return true;
  if (type.endsWith('/*')) return sent.startsWith(type.slice(0, -1));
  return isJson(type) && isJson(sent);
}

/** The loadgate.yml key that sends a media type. */
export function bodyKeyFor(mediaType: string): BodyKey {
  const type = bareType(mediaType);
  if (type === 'application/x-www-form-urlencoded') return 'form';
  if (type === 'multipart/form-data') return 'multipart';
  return isJson(type) || type === '*/*' ? 'json' : 'body';
}

/**
 * The schemes an operation requires when the step sends none of them (every alternative
 * unmet), else undefined. An empty requirement (`{}`) makes authentication optional.
 */
function missingSecurity(
  spec: OpenApiDocument,
  operation: JsonObject,
  step: Step,
): SchemeNeed[] | undefined {
  const requirements = (
    Array.isArray(operation.security) ? operation.security : (spec.security ?? [])
  ).filter(isObject) as SecurityRequirement[];
  if (requirements.length === 0) return undefined;
  const needs = requirements.map((requirement) =>
    Object.keys(requirement).map((name) => schemeNeed(spec, name)),
  );
  if (needs.some((all) => all.every((need) => !need || sends(step, need)))) return undefined;
  const unmet = needs.flat().filter((need): need is SchemeNeed => need !== undefined);
  return unmet.filter((need, i) => unmet.findIndex((n) => n.name === need.name) === i);
}

/** What a security scheme asks the request to carry; undefined when the spec does not say. */
export function schemeNeed(spec: OpenApiDocument, name: string): SchemeNeed | undefined {
  const schemes = isObject(spec.components?.securitySchemes) ? spec.components.securitySchemes : {};
  const scheme = resolveRef(spec, schemes[name]);
  if (typeof scheme.type !== 'string') return undefined;
  if (scheme.type === 'http') {
    const type = typeof scheme.scheme === 'string' ? scheme.scheme.toLowerCase() : 'http';
    return { name, type };
  }
  if (scheme.type === 'apiKey') {
    const where = scheme.in;
    if ((where !== 'header' && where !== 'query' && where !== 'cookie') || !scheme.name) {
      return undefined;
    }
    return { name, type: 'apiKey', in: where, param: String(scheme.name) };
  }
  return { name, type: scheme.type };
}

function sends(step: Step, need: SchemeNeed): boolean {
  const header = (name: string) =>
    Object.entries(step.request.headers).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  if (need.type !== 'apiKey') return Boolean(header('authorization'));
  const param = need.param ?? '';
  if (need.in === 'header') return Boolean(header(param));
  if (need.in === 'cookie') {
    return (header('cookie') ?? '').split(';').some((c) => c.trim().startsWith(`${param}=`));
  }
  const query = step.request.url.split('?')[1] ?? '';
  return param in step.request.query || new URLSearchParams(query).has(param);
}

/** The scenario URL's path on the target, or undefined for a URL on another origin. */
function pathOnTarget(url: string, target: URL, base: string): string | undefined {
  if (/^https?:\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    return parsed.origin === target.origin ? parsed.pathname : undefined;
  }
  return `${base}${url.split(/[?#]/)[0] ?? ''}`;
}

/** The path of each server URL (`/api/v1`), without a trailing slash; templated ones skipped. */
function serverPaths(spec: OpenApiDocument, against: string): string[] {
  return (spec.servers ?? [])
    .map((server) => server.url)
    .filter((url): url is string => typeof url === 'string' && !url.includes('{'))
    .flatMap((url) => {
      try {
        return [new URL(url, against).pathname.replace(/\/+$/, '')];
      } catch {
        return [];
      }
    })
    .filter((p) => p !== '');
}

/** Paths of the document that differ from `path` by a trailing slash or end with its last segment. */
function similarPaths(spec: OpenApiDocument, path: string): string[] {
  const trimmed = path.replace(/\/+$/, '');
  const last = trimmed.split('/').pop()?.toLowerCase() ?? '';
  return Object.keys(spec.paths)
    .filter((template) => {
      const other = template.replace(/\/+$/, '');
      return (
        other === trimmed ||
        (last !== '' && !last.includes('${') && other.toLowerCase().endsWith(`/${last}`))
      );
    })
    .slice(0, 3);
}
