import type { Step } from '../../config/schema.js';
import { capturesNeedBody } from './capture.js';
import {
  compileJson,
  compileTemplate,
  isStatic,
  render,
  renderJson,
  type TemplateScope,
} from './template.js';

/** A request ready for undici. */
export interface PreparedRequest {
  origin: string;
  path: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** A step compiled once per stage: static requests are built once and reused as they are. */
export interface CompiledStep {
  /** Index of the step's endpoint in the aggregator. */
  endpoint: number;
  step: Step;
  needsBody: boolean;
  prepare(scope: TemplateScope): PreparedRequest;
}

export function compileStep(step: Step, target: string, endpoint: number): CompiledStep {
  const { request } = step;
  const absolute = /^https?:\/\//.test(request.url);
  const base = new URL(absolute ? request.url : target);
  const origin = base.origin;
  const basePath = absolute ? '' : base.pathname.replace(/\/+$/, '');
  const urlTemplate = compileTemplate(
    absolute ? `${base.pathname}${base.search}` : `${basePath}${request.url}`,
  );
  const query = Object.entries(request.query).map(([k, v]) => [k, compileTemplate(v)] as const);
  const headers = Object.entries(request.headers).map(
    ([k, v]) => [k.toLowerCase(), compileTemplate(v)] as const,
  );

  let contentType: string | undefined;
  let renderBody: ((scope: TemplateScope) => string) | undefined;
  let bodyStatic = true;
  const body = request.body;
  if (body?.kind === 'json') {
    contentType = 'application/json';
    const compiled = compileJson(body.value);
    bodyStatic = compiled.static;
    renderBody = (scope) => JSON.stringify(renderJson(compiled.value, scope));
  } else if (body?.kind === 'form') {
    contentType = 'application/x-www-form-urlencoded';
    const fields = Object.entries(body.fields).map(([k, v]) => [k, compileTemplate(v)] as const);
    bodyStatic = fields.every(([, t]) => isStatic(t));
    renderBody = (scope) =>
      new URLSearchParams(
        fields.map(([k, t]): [string, string] => [k, render(t, scope)]),
      ).toString();
  } else if (body?.kind === 'raw') {
    contentType = body.contentType ?? 'text/plain';
    const template = compileTemplate(body.text);
    bodyStatic = isStatic(template);
    renderBody = (scope) => render(template, scope);
  }

  const build = (scope: TemplateScope): PreparedRequest => {
    let path = render(urlTemplate, scope);
    if (query.length > 0) {
      const search = new URLSearchParams(
        query.map(([k, t]): [string, string] => [k, render(t, scope)]),
      ).toString();
      path += (path.includes('?') ? '&' : '?') + search;
    }
    const out: Record<string, string> = {};
    if (contentType && !request.headers['content-type'] && !request.headers['Content-Type'])
      out['content-type'] = contentType;
    for (const [name, template] of headers) out[name] = render(template, scope);
    return {
      origin,
      path: path || '/',
      method: request.method,
      headers: out,
      ...(renderBody ? { body: renderBody(scope) } : {}),
    };
  };

  const allStatic =
    isStatic(urlTemplate) &&
    query.every(([, t]) => isStatic(t)) &&
    headers.every(([, t]) => isStatic(t)) &&
    bodyStatic;
  let cached: PreparedRequest | undefined;
  return {
    endpoint,
    step,
    needsBody: capturesNeedBody(step),
    prepare: allStatic ? (scope) => (cached ??= build(scope)) : build,
  };
}
