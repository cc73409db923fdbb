import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError, errorMessage, type SecretRead } from '../shared/errors.js';
import { formatIssue } from './format-issues.js';
import { configSchema } from './config-schema.js';
import type { Config } from './schema.js';

/** A value that replaces one key of the file, with the name of where it came from. */
export interface Override {
  /** Key path in the file, e.g. ["stages", "ramp", "users"]. */
  key: string[];
  value: unknown;
  /** How to name it in an error: "input `users`", "--target". */
  source: string;
}

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file. */
  path: string;
  /** Folder that relative paths in the config resolve from. */
  baseDir: string;
  /** Short sha256 of the file and overrides, for the report's environment section. */
  digest: string;
  /** The environment variables the config reads with `${env.NAME}`: their values are secrets. */
  envReferences: string[];
}

export interface LoadConfigOptions {
  path: string;
  overrides?: Override[];
  /** Environment for the `${env.NAME}` check (process.env in the wiring). */
  env: Record<string, string | undefined>;
  readFile?: (file: string) => string;
}

const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads, parses and validates the config file with overrides applied. Throws a ConfigError
 * whose message names the file, the key, the value and what was expected.
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const file = path.resolve(options.path);
  const name = options.path;
  let text: string;
  try {
    text = (options.readFile ?? ((f) => readFileSync(f, 'utf8')))(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new ConfigError(
        `config: file ${name} not found (looked for ${file}); create it or point the \`config\` input / --config flag at it`,
      );
    }
    throw new ConfigError(`config: cannot read ${name}: ${errorMessage(error)}`);
  }
  if (text.length > MAX_CONFIG_BYTES) {
    throw new ConfigError(
      `config: ${name} is ${text.length} bytes, expected a config file under ${MAX_CONFIG_BYTES} bytes`,
    );
  }
  const raw = parseYaml(text, name);
  const overrides = options.overrides ?? [];
  for (const override of overrides) setAt(raw, override.key, override.value);

  const sources = new Map(overrides.map((o) => [o.key.join('.'), o.source]));
  const result = configSchema.safeParse(raw, { reportInput: true });
  if (!result.success) {
    const lines = result.error.issues.map((issue) =>
      formatIssue(issue, raw, configSchema, (p) => {
        const source = sources.get(p);
        return source ? `${source} (\`${p}\`)` : undefined;
      }),
    );
    throw new ConfigError(`${name}: invalid config\n${lines.map((l) => `- ${l}`).join('\n')}`);
  }
  const envReferences = checkEnvReferences(raw, options.env, name);
  const config = withStackEnvResolved(result.data, options.env);
  const locustfile = config.locustfile && path.resolve(path.dirname(file), config.locustfile);
  if (locustfile && !existsSync(locustfile)) {
    throw new ConfigError(
      `${name}: invalid config\n- \`locustfile\`: got ${JSON.stringify(config.locustfile)}, expected an existing file (looked for ${locustfile})`,
    );
  }

  const digest = createHash('sha256')
    .update(text)
    .update(JSON.stringify(overrides.map((o) => [o.key, o.value])))
    .digest('hex')
    .slice(0, 12);
  return { config, path: file, baseDir: path.dirname(file), digest, envReferences };
}

const MAX_DEPTH = 64;

/** Deepest [ / { nesting outside quoted strings: refused before the parser recurses into it. */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

function parseYaml(text: string, name: string): Record<string, unknown> {
  const depth = flowDepth(text);
  if (depth > MAX_DEPTH) {
    throw new ConfigError(
      `${name}: the YAML is nested deeper than ${MAX_DEPTH} levels (${depth}), expected a config file`,
    );
  }
  let doc;
  try {
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    throw new ConfigError(`${name}: YAML syntax error: ${errorMessage(error)}`);
  }
  const first = doc.errors[0];
  if (first) {
    const where = first.linePos?.[0]
      ? `${name}:${first.linePos[0].line}:${first.linePos[0].col}`
      : name;
    throw new ConfigError(`${where}: YAML syntax error: ${first.message.split('\n')[0]}`);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new ConfigError(`${name}: YAML error: ${errorMessage(error)}`);
  }
  if (value === null || value === undefined) {
    throw new ConfigError(
      `${name}: the file is empty, expected a map with at least \`target\` and \`scenario.tasks\``,
    );
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(
      `${name}: expected a map of keys at the top level (target, scenario, ...)`,
    );
  }
  return value as Record<string, unknown>;
}

function setAt(root: Record<string, unknown>, key: string[], value: unknown): void {
  let current: Record<string, unknown> = root;
  key.slice(0, -1).forEach((part) => {
    const next = current[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) current[part] = {};
    current = current[part] as Record<string, unknown>;
  });
  current[key[key.length - 1] as string] = value;
}

const ENV_REFERENCE = /\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * A `${env.NAME}` that resolves to nothing would send hundreds of requests with an empty
 * password (or boot the stack with one): refuse it before anything boots (finding
 * `config.empty-secret`). Returns the names read, whose values are secrets.
 */
function checkEnvReferences(
  raw: Record<string, unknown>,
  env: Record<string, string | undefined>,
  name: string,
): string[] {
  const missing: SecretRead[] = [];
  const names = new Set<string>();
  const visit = (value: string, key: string) => {
    for (const match of value.matchAll(ENV_REFERENCE)) {
      const variable = match[1] as string;
      names.add(variable);
      if (!env[variable]) missing.push({ key, variable });
    }
  };
  walkStrings(raw.scenario, 'scenario', visit);
  const stack = raw.stack as Record<string, unknown> | undefined;
  walkStrings(stack?.env, 'stack.env', visit);
  if (missing.length > 0) {
    const each = missing.map((m) => `\`${m.key}\`: \${env.${m.variable}} is empty or not set`);
    throw new ConfigError(
      `${name}: ${each.join('; ')}; set it in the workflow step's \`env:\` (e.g. from a repository secret) or in your shell`,
      { findingId: 'config.empty-secret', reads: missing },
    );
  }
  return [...names];
}

/**
 * `stack.env` values may read the step's environment (`DB_PASSWORD: ${env.PG_PASSWORD}`): they
 * are resolved here, once, since the stack's commands get them as they are.
 */
function withStackEnvResolved(config: Config, env: Record<string, string | undefined>): Config {
  if (!config.stack) return config;
  const resolved = Object.fromEntries(
    Object.entries(config.stack.env).map(([key, value]) => [
      key,
      value.replace(ENV_REFERENCE, (_, variable: string) => env[variable] ?? ''),
    ]),
  );
  return { ...config, stack: { ...config.stack, env: resolved } };
}

function walkStrings(value: unknown, at: string, visit: (value: string, at: string) => void): void {
  if (typeof value === 'string') visit(value, at);
  else if (Array.isArray(value))
    value.forEach((item, i) => walkStrings(item, `${at}[${i}]`, visit));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) walkStrings(item, `${at}.${key}`, visit);
  }
}
