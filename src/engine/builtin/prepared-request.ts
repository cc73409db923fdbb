import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FormData } from 'undici';
import type { Step } from '../../config/schema.js';
import { capturesNeedBody } from './capture.js';
import { checksNeedBody } from './checks.js';
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
  body?: string | FormData;
  /** Bytes of a multipart body (a string body is measured as it is). */
  size?: number;
}

/** A step compiled once per stage: static requests are built once and reused as they are. */
export interface CompiledStep {
  /** Index of the step's endpoint in the aggregator. */
  endpoint: number;
  step: Step;
  needsBody: boolean;
  prepare(scope: TemplateScope): PreparedRequest;
}

export function compileStep(
  step: Step,
  target: string,
  endpoint: number,
  baseDir = process.cwd(),
): CompiledStep {
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
  let renderBody: ((scope: TemplateScope) => string | FormData) | undefined;
  let filesSize = 0;
  /** Set by the multipart renderer: the bytes of the fields and files of the last form. */
  let formSize: number | undefined;
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
  } else if (body?.kind === 'multipart') {
    // the boundary and content-type come from FormData; files are read once per stage
    const fields = Object.entries(body.fields).map(([k, v]) => [k, compileTemplate(v)] as const);
    const files = Object.entries(body.files).map(([name, f]) => {
      const bytes = readFileSync(path.resolve(baseDir, f.file));
      filesSize += bytes.length;
      return { name, blob: new Blob([bytes], { type: f.contentType }), filename: f.filename };
    });
    bodyStatic = false; // a FormData body is consumed by each request
    renderBody = (scope) => {
      const form = new FormData();
      let size = filesSize;
      for (const [name, template] of fields) {
        const value = render(template, scope);
        size += Buffer.byteLength(value);
        form.append(name, value);
      }
      for (const file of files) form.append(file.name, file.blob, file.filename);
      formSize = size;
      return form;
    };
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
      ...(formSize !== undefined ? { size: formSize } : {}),
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
    needsBody: capturesNeedBody(step) || checksNeedBody(step),
    prepare: allStatic ? (scope) => (cached ??= build(scope)) : build,
  };
}
