import { DEFAULTS } from '../config/schema.js';
import type { SchemeNeed } from '../model/openapi-evidence.js';
import { schemeNeed } from './check-scenario.js';
import { credentialsYaml } from './credentials-yaml.js';
import {
  DEFAULT_SPEC_PATH,
  isObject,
  resolveRef,
  type JsonObject,
  type OpenApiDocument,
  type SecurityRequirement,
} from './spec.js';

export interface InitOptions {
  /** The `--openapi` argument as given (a URL, or a path relative to the new config). */
  openapi: string;
  /** The document's URL when it was fetched: its origin is the target when no server is named. */
  specUrl?: string;
}

/** Where a target is assumed when the document names no absolute server and came from a file. */
const PLACEHOLDER_TARGET = 'http://127.0.0.1:8000';
const MAX_TASKS = 20;

/** A YAML scalar from any text (JSON strings are YAML double-quoted scalars). */
const q = (text: string) => JSON.stringify(text);

/**
 * A starting `loadgate.yml` for an API from its OpenAPI document: the target from its servers
 * (else the document's origin), a login from its OAuth2 password flow (`${env.API_USER}` /
 * `${env.API_PASSWORD}`, never a real secret), one task per GET operation that needs no path
 * parameter (the others commented out), default stages and thresholds. Pure: text out.
 */
export function initConfig(spec: OpenApiDocument, options: InitOptions): string {
  const { target, guessed } = targetOf(spec, options.specUrl);
  const login = passwordLogin(spec, target);
  const tasks = getOperations(spec, login);
  const active = tasks.filter((t) => !t.comment).slice(0, MAX_TASKS);
  const title = [spec.info?.title, spec.info?.version]
    .filter((t) => typeof t === 'string')
    .join(' ')
    .replace(/\s+/g, ' ');
  const lines = [
    `# Written by \`loadgate init\` from the OpenAPI document ${options.openapi}${title ? ` (${title})` : ''}.`,
    '# A starting point: check the target, the scenario and the thresholds before relying on it.',
    `target: ${q(target)}${guessed ? ' # edit: the document names no absolute server URL' : ''}`,
    ...(options.openapi === `${target}${DEFAULT_SPEC_PATH}`
      ? []
      : [
          `openapi: ${q(options.openapi)} # the scenario is checked against it before the smoke stage`,
        ]),
    '# stack: # uncomment to boot the API for the run',
    '#   start: ./start.sh',
    `#   ready: ${target}/health`,
    'scenario:',
    ...(login
      ? [
          '  setup: # once per virtual user: set API_USER and API_PASSWORD in the environment',
          `    - request: # the OAuth2 password flow of ${login.scheme}`,
          '        method: POST',
          `        url: ${q(login.url)}`,
          '        form: { username: "${env.API_USER}", password: "${env.API_PASSWORD}" }',
          '      capture: { token: json.access_token }',
          '      check: { status: 200 }',
        ]
      : []),
    '  tasks: # one per GET operation; weight them, add the writes your users make',
    ...(active.length > 0
      ? active.map((t) => `    - request: { ${t.request} }`)
      : [
          '    - request: { url: "/" } # edit: the document has no GET operation without parameters',
        ]),
    ...tasks
      .filter((t) => t.comment)
      .slice(0, MAX_TASKS)
      .map((t) => `    # - request: { ${t.request} } # ${t.comment}`),
    ...(tasks.filter((t) => !t.comment).length > MAX_TASKS
      ? [
          `    # ${tasks.filter((t) => !t.comment).length - MAX_TASKS} more GET operations in the document`,
        ]
      : []),
    'stages:',
    `  smoke: { users: ${DEFAULTS.smoke.users}, iterations: ${DEFAULTS.smoke.iterations} } # must pass before the ramp`,
    '  ramp: { users: 20, spawn-rate: 5, duration: 30s } # raise it to the load you expect',
    'thresholds:',
    `  failure-rate: ${q(DEFAULTS.failureRate)}`,
    `  p95: ${q(DEFAULTS.p95)}`,
  ];
  return `${lines.join('\n')}\n`;
}

function targetOf(spec: OpenApiDocument, specUrl?: string): { target: string; guessed: boolean } {
  const server = spec.servers?.find((s) => typeof s.url === 'string') as
    { url: string; variables?: Record<string, { default?: unknown }> } | undefined;
  const url = server?.url.replace(/\{([^}]+)\}/g, (all, name: string) => {
    const value = server.variables?.[name]?.default;
    return typeof value === 'string' ? value : all;
  });
  const absolute = url !== undefined && /^https?:\/\//i.test(url);
  const base = specUrl ?? PLACEHOLDER_TARGET;
  let target: string;
  try {
    target = new URL(url ?? '/', base).href;
  } catch {
    target = new URL(base).origin;
  }
  return { target: target.replace(/\/+$/, ''), guessed: !absolute && !specUrl };
}

/** The OAuth2 password flow's token URL, as a scenario URL relative to the target. */
function passwordLogin(
  spec: OpenApiDocument,
  target: string,
): { scheme: string; url: string; need: SchemeNeed } | undefined {
  const schemes = isObject(spec.components?.securitySchemes) ? spec.components.securitySchemes : {};
  for (const name of Object.keys(schemes)) {
    const scheme = resolveRef(spec, schemes[name]);
    const flows = isObject(scheme.flows) ? scheme.flows : {};
    const password = isObject(flows.password) ? flows.password : undefined;
    if (scheme.type !== 'oauth2' || typeof password?.tokenUrl !== 'string') continue;
    const base = new URL(`${target}/`);
    const resolved = new URL(password.tokenUrl, base);
    const url =
      resolved.origin === base.origin && resolved.pathname.startsWith(base.pathname)
        ? `/${resolved.pathname.slice(base.pathname.length)}${resolved.search}`
        : resolved.href;
    return { scheme: name, url, need: { name, type: 'oauth2' } };
  }
  return undefined;
}

interface TaskLine {
  /** The inside of `request: { ... }`. */
  request: string;
  /** Why it is commented out (it needs a value only the user knows). */
  comment?: string;
}

function getOperations(spec: OpenApiDocument, login: ReturnType<typeof passwordLogin>): TaskLine[] {
  return Object.entries(spec.paths)
    .filter(([, item]) => isObject(item.get))
    .map(([path, item]): TaskLine => {
      const operation = item.get as JsonObject;
      const parameters = [
        ...(Array.isArray(item.parameters) ? item.parameters : []),
        ...(Array.isArray(operation.parameters) ? operation.parameters : []),
      ].map((p) => resolveRef(spec, p));
      const query: string[] = [];
      const missing: string[] = [];
      for (const p of parameters) {
        if (typeof p.name !== 'string' || p.required !== true || p.in === 'path') continue;
        const value = exampleOf(spec, p);
        if (p.in === 'query' && value !== undefined) query.push(`${q(p.name)}: ${q(value)}`);
        else missing.push(`${p.in as string} parameter ${p.name}`);
      }
      const credentials = credentialsFor(spec, operation, login);
      const request = [
        `url: ${q(path)}`,
        ...(query.length ? [`query: { ${query.join(', ')} }`] : []),
        ...(credentials ? [credentials] : []),
      ].join(', ');
      const comment = path.includes('{')
        ? `replace ${[...path.matchAll(/\{[^}]+\}/g)].map((m) => m[0]).join(', ')} with real values`
        : missing.length > 0
          ? `needs ${missing.join(', ')}`
          : credentials === null
            ? 'needs credentials the document does not describe'
            : undefined;
      return comment ? { request, comment } : { request };
    });
}

/** A required parameter's value from its example, default or first enum value. */
function exampleOf(spec: OpenApiDocument, parameter: JsonObject): string | undefined {
  const schema = resolveRef(spec, parameter.schema);
  const candidates = [
    parameter.example,
    schema.example,
    schema.default,
    Array.isArray(schema.enum) ? schema.enum[0] : undefined,
  ];
  const value = candidates.find((v) => ['string', 'number', 'boolean'].includes(typeof v));
  return value === undefined ? undefined : String(value);
}

/**
 * How an operation's task sends credentials: undefined when it needs none, null when no
 * requirement can be met with what loadgate.yml can send.
 */
function credentialsFor(
  spec: OpenApiDocument,
  operation: JsonObject,
  login: ReturnType<typeof passwordLogin>,
): string | undefined | null {
  const requirements = (
    Array.isArray(operation.security) ? operation.security : (spec.security ?? [])
  ).filter(isObject) as SecurityRequirement[];
  if (requirements.length === 0 || requirements.some((r) => Object.keys(r).length === 0)) {
    return undefined;
  }
  for (const requirement of requirements) {
    const names = Object.keys(requirement);
    if (names.length !== 1) continue;
    const need = schemeNeed(spec, names[0] as string);
    if (!need) continue;
    // a token from the login when there is one, else a token from the environment
    const token = login ? '${token}' : '${env.API_TOKEN}';
    return credentialsYaml(need, token);
  }
  return null;
}
