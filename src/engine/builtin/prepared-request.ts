import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FormData } from 'undici';
import type { Step } from '../../config/schema.js';
import type { PreparedRequest } from '../../transport/exchange.js';
import { capturesNeedBody } from './capture.js';
import { checksNeedBody } from './checks.js';
import { RequestBuildError } from './request-error.js';
import {
  encodePath,
  headerNameProblem,
  headerValueProblem,
  pathProblem,
} from '../../transport/request-fields.js';
import { SAMPLE_BYTES } from './sample.js';
import {
  compileJson,
  compileTemplate,
  isStatic,
  render,
  renderJson,
  type TemplateScope,
} from './template.js';

/** Bytes of a response body kept for captures and body checks. */
export const CAPTURE_BYTES = 1024 * 1024;

/** A step compiled once per stage: static requests are built once and reused as they are. */
export interface CompiledStep {
  /** Index of the step's endpoint in the aggregator. */
  endpoint: number;
  /** Index of the step's origin in the stage's list: a user keeps one connection per origin. */
  origin: number;
  step: Step;
  timeoutMs: number;
  /** The request's URL for display when it could not be built (placeholders left as written). */
  displayUrl: string;
  /** True when the step has body checks (`body-contains`, `json`). */
  checksBody: boolean;
  /** True when the status passes `check.status` (default: any response below 400). */
  accepts(status: number): boolean;
  /** Body bytes to keep for a response with this status: captures, checks or a failure sample. */
  keepBytes(status: number): number;
  /**
   * Builds the request; throws RequestBuildError (an unset variable, an invalid URL, a path or
   * header that would break the request head).
   */
  prepare(scope: TemplateScope): PreparedRequest;
}

export interface CompileOptions {
  target: string;
  endpoint: number;
  /** The index of an origin in the stage's list (added when new). */
  originIndex: (origin: string) => number;
  baseDir?: string | undefined;
  /** Where the step is in the config, for errors: "scenario.tasks[0]". */
  at?: string | undefined;
}

export function compileStep(step: Step, options: CompileOptions): CompiledStep {
  const { request } = step;
  const { target, endpoint } = options;
  const absolute = /^https?:\/\//.test(request.url);
  const displayUrl = absolute ? request.url : `${target}${request.url}`;
  const expected = step.check.status ? new Set(step.check.status) : undefined;
  const accepts = expected
    ? (status: number) => expected.has(status)
    : (status: number) => status > 0 && status < 400;
  const checksBody = checksNeedBody(step);
  const needsBody = checksBody || capturesNeedBody(step);
  const keepBytes = needsBody
    ? () => CAPTURE_BYTES
    : (status: number) => (accepts(status) ? 0 : SAMPLE_BYTES + 1);
  const common = {
    endpoint,
    step,
    timeoutMs: request.timeoutMs,
    displayUrl,
    checksBody,
    accepts,
    keepBytes,
  };

  const at = options.at ?? `step ${JSON.stringify(step.name)}`;
  // a step that cannot be sent at all: every request of the step fails with this message
  const failing = (message: string): CompiledStep => ({
    ...common,
    origin: options.originIndex(''),
    prepare: () => {
      throw new RequestBuildError(message);
    },
  });
  // an absolute URL is cut as text: its path and query may hold placeholders, which URL parsing
  // would percent-encode out of reach of the template
  const [, authority = '', rest = ''] = absolute
    ? (/^(https?:\/\/[^/?#]*)([^#]*)/.exec(request.url) ?? [])
    : [];
  if (authority.includes('${')) {
    return failing(`invalid URL ${displayUrl}: placeholders are not supported in the host`);
  }
  let base: URL;
  try {
    base = new URL(absolute ? authority : target);
  } catch (error) {
    return failing(`invalid URL ${displayUrl}: ${(error as Error).message}`);
  }
  const origin = base.origin;
  const basePath = absolute ? '' : base.pathname.replace(/\/+$/, '');
  const urlTemplate = compileTemplate(absolute ? rest || '/' : `${basePath}${request.url}`);
  const query = Object.entries(request.query).map(([k, v]) => [k, compileTemplate(v)] as const);
  // static names and values are checked once here, templated values once rendered
  for (const [name, value] of Object.entries(request.headers)) {
    const problem =
      headerNameProblem(name) ??
      (isStatic(compileTemplate(value)) ? headerValueProblem(value, false) : undefined);
    if (problem !== undefined) return failing(`\`${at}.request.headers.${name}\`: ${problem}`);
  }
  const headers = Object.entries(request.headers).map(
    ([k, v]) => [k.toLowerCase(), compileTemplate(v), k] as const,
  );
  const urlTemplated = !isStatic(urlTemplate);
  const hasContentType = headers.some(([name]) => name === 'content-type');

  const body = compileBody(step, options.baseDir ?? process.cwd());
  const typeProblem =
    body?.contentType && !hasContentType ? headerValueProblem(body.contentType, false) : undefined;
  if (typeProblem !== undefined) return failing(`\`${at}.request.content-type\`: ${typeProblem}`);
  const build = (scope: TemplateScope): PreparedRequest => {
    let path = render(urlTemplate, scope);
    if (query.length > 0) {
      const search = new URLSearchParams(
        query.map(([k, t]): [string, string] => [k, render(t, scope)]),
      ).toString();
      path += (path.includes('?') ? '&' : '?') + search;
    }
    path = encodePath(path);
    const wrongPath = pathProblem(path, urlTemplated);
    if (wrongPath !== undefined) throw new RequestBuildError(`\`${at}.request.url\`: ${wrongPath}`);
    const out: Record<string, string> = {};
    if (body?.contentType && !hasContentType) out['content-type'] = body.contentType;
    for (const [name, template, key] of headers) {
      if (isStatic(template)) {
        out[name] = template;
        continue;
      }
      const value = render(template, scope);
      const problem = headerValueProblem(value, true);
      if (problem !== undefined) {
        throw new RequestBuildError(`\`${at}.request.headers.${key}\`: ${problem}`);
      }
      out[name] = value;
    }
    const prepared: PreparedRequest = {
      origin,
      path: path || '/',
      method: request.method,
      headers: out,
      headersTimeout: request.timeoutMs,
      bodyTimeout: request.timeoutMs,
      bytesSent: 0,
    };
    if (body) {
      const rendered = body.render(scope);
      prepared.body = rendered.body;
      prepared.bytesSent = rendered.bytes;
    }
    return prepared;
  };

  const allStatic =
    isStatic(urlTemplate) &&
    query.every(([, t]) => isStatic(t)) &&
    headers.every(([, t]) => isStatic(t)) &&
    (body?.static ?? true);
  let cached: PreparedRequest | undefined;
  return {
    ...common,
    origin: options.originIndex(origin),
    prepare: allStatic
      ? (scope) => {
          if (cached) return cached;
          cached = build(scope);
          // encoded once: undici sends a Buffer as it is
          if (typeof cached.body === 'string') cached.body = Buffer.from(cached.body);
          return cached;
        }
      : build,
  };
}

interface CompiledBody {
  contentType: string | undefined;
  static: boolean;
  render(scope: TemplateScope): { body: string | FormData; bytes: number };
}

function compileBody(step: Step, baseDir: string): CompiledBody | undefined {
  const body = step.request.body;
  const text = (value: string) => ({ body: value, bytes: Buffer.byteLength(value) });
  switch (body?.kind) {
    case undefined:
      return undefined;
    case 'json': {
      const compiled = compileJson(body.value);
      return {
        contentType: 'application/json',
        static: compiled.static,
        render: (scope) => text(JSON.stringify(renderJson(compiled.value, scope))),
      };
    }
    case 'form': {
      const fields = Object.entries(body.fields).map(([k, v]) => [k, compileTemplate(v)] as const);
      return {
        contentType: 'application/x-www-form-urlencoded',
        static: fields.every(([, t]) => isStatic(t)),
        render: (scope) =>
          text(
            new URLSearchParams(
              fields.map(([k, t]): [string, string] => [k, render(t, scope)]),
            ).toString(),
          ),
      };
    }
    case 'raw': {
      const template = compileTemplate(body.text);
      return {
        contentType: body.contentType ?? 'text/plain',
        static: isStatic(template),
        render: (scope) => text(render(template, scope)),
      };
    }
    case 'multipart': {
      // the boundary and content-type come from FormData; files are read once per stage
      const fields = Object.entries(body.fields).map(([k, v]) => [k, compileTemplate(v)] as const);
      let filesSize = 0;
      let unreadable: string | undefined;
      const files = Object.entries(body.files).map(([name, f]) => {
        let bytes = Buffer.alloc(0);
        try {
          bytes = readFileSync(path.resolve(baseDir, f.file));
        } catch (error) {
          unreadable ??= `multipart ${name}: cannot read ${f.file}: ${(error as Error).message}`;
        }
        filesSize += bytes.length;
        return { name, blob: new Blob([bytes], { type: f.contentType }), filename: f.filename };
      });
      return {
        contentType: undefined,
        static: false, // a FormData body is consumed by each request
        render: (scope) => {
          if (unreadable !== undefined) throw new RequestBuildError(unreadable);
          const form = new FormData();
          let bytes = filesSize;
          for (const [name, template] of fields) {
            const value = render(template, scope);
            bytes += Buffer.byteLength(value);
            form.append(name, value);
          }
          for (const file of files) form.append(file.name, file.blob, file.filename);
          return { body: form, bytes };
        },
      };
    }
  }
}
