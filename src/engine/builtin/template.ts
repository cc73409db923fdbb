import { RequestBuildError } from './request-error.js';

/**
 * `${name}` (a variable captured by this virtual user) and `${env.NAME}` templating. Templates
 * are compiled once per step; a string without `${` renders to itself at no cost.
 */
export type Template = string | TemplatePart[];
type TemplatePart = { text: string } | { variable: string } | { env: string } | { data: string };

export interface TemplateScope {
  vars: Record<string, string>;
  /** This virtual user's row of `scenario.data` (`${data.column}`). */
  data?: Record<string, string>;
  env: Record<string, string | undefined>;
  /** Values of `${env.*}` that were substituted: secrets to redact from samples. */
  usedEnv?: Set<string>;
}

export class MissingVariableError extends RequestBuildError {
  override readonly name = 'MissingVariableError';

  constructor(readonly variable: string) {
    super(
      variable.startsWith('env.')
        ? `variable \${${variable}} is not set: set ${variable.slice(4)} in the environment`
        : variable.startsWith('data.')
          ? `variable \${${variable}} is not set: scenario.data has no column ${variable.slice(5)} (or no row for this user)`
          : `variable \${${variable}} is not set: capture it in a setup step`,
    );
  }
}

const PLACEHOLDER = /\$\{([^}]+)\}/g;

export function compileTemplate(text: string): Template {
  if (!text.includes('${')) return text;
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    const name = (match[1] as string).trim();
    parts.push(
      name.startsWith('env.')
        ? { env: name.slice(4) }
        : name.startsWith('data.')
          ? { data: name.slice(5) }
          : { variable: name },
    );
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

export function isStatic(template: Template): template is string {
  return typeof template === 'string';
}

/** Renders a template; throws MissingVariableError for an unset variable. */
export function render(template: Template, scope: TemplateScope): string {
  if (typeof template === 'string') return template;
  let out = '';
  for (const part of template) {
    if ('text' in part) out += part.text;
    else if ('env' in part) {
      const value = scope.env[part.env];
      if (value === undefined || value === '') throw new MissingVariableError(`env.${part.env}`);
      scope.usedEnv?.add(value);
      out += value;
    } else if ('data' in part) {
      const value = scope.data?.[part.data];
      if (value === undefined) throw new MissingVariableError(`data.${part.data}`);
      out += value;
    } else {
      const value = scope.vars[part.variable];
      if (value === undefined) throw new MissingVariableError(part.variable);
      out += value;
    }
  }
  return out;
}

/** A templated string leaf inside a JSON body. */
class TemplateLeaf {
  constructor(readonly template: TemplatePart[]) {}
}

/** Compiles every string leaf of a JSON value; `static` is true when nothing needs rendering. */
export function compileJson(value: unknown): { value: unknown; static: boolean } {
  let dynamic = false;
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const template = compileTemplate(node);
      if (isStatic(template)) return node;
      dynamic = true;
      return new TemplateLeaf(template);
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    }
    return node;
  };
  const compiled = walk(value);
  return { value: compiled, static: !dynamic };
}

/** Renders a compiled JSON value back into plain JSON. */
export function renderJson(value: unknown, scope: TemplateScope): unknown {
  if (value instanceof TemplateLeaf) return render(value.template, scope);
  if (Array.isArray(value)) return value.map((v) => renderJson(v, scope));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, scope)]));
  }
  return value;
}
