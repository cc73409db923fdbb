import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { errorMessage } from '../shared/errors.js';
import { notOpenApi, type OpenApiDocument } from './spec.js';

export type SpecLoad =
  | { ok: true; spec: OpenApiDocument; source: string }
  /** `missing`: nothing there (404, no file); otherwise it answered something else. */
  | { ok: false; source: string; reason: string; missing?: boolean };

export interface LoadSpecOptions {
  /** Folder a relative file path resolves from (the config's). */
  baseDir: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Stops the download (the run was stopped). */
  signal?: AbortSignal;
}

const MAX_BYTES = 20 * 1024 * 1024;

/**
 * Reads an OpenAPI document from an http(s) URL or a file: JSON, or YAML when the name ends
 * in .yaml/.yml (or the server says YAML). Never throws: what went wrong is the `reason`.
 */
export async function loadSpec(location: string, options: LoadSpecOptions): Promise<SpecLoad> {
  const isUrl = /^https?:\/\//i.test(location);
  const source = isUrl ? location : path.resolve(options.baseDir, location);
  let text: string;
  let yaml = /\.ya?ml$/i.test(isUrl ? new URL(location).pathname : location);
  try {
    if (isUrl) {
      const response = await (options.fetch ?? fetch)(location, {
        headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.1' },
        signal: AbortSignal.any([
          AbortSignal.timeout(options.timeoutMs ?? 10_000),
          ...(options.signal ? [options.signal] : []),
        ]),
        redirect: 'follow',
      });
      if (!response.ok) {
        await response.body?.cancel();
        return {
          ok: false,
          source,
          reason: `HTTP ${response.status}`,
          missing: response.status === 404,
        };
      }
      yaml ||= /yaml/i.test(response.headers.get('content-type') ?? '');
      text = await response.text();
    } else {
      text = await readFile(source, 'utf8');
    }
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return { ok: false, source, reason: missing ? 'no such file' : errorMessage(error), missing };
  }
  if (text.length > MAX_BYTES) {
    return { ok: false, source, reason: `${text.length} bytes, over the ${MAX_BYTES}-byte limit` };
  }
  let value: unknown;
  try {
    value = yaml ? parseYaml(text) : JSON.parse(text);
  } catch {
    return { ok: false, source, reason: yaml ? 'not valid YAML' : 'not JSON' };
  }
  const problem = notOpenApi(value);
  if (problem) return { ok: false, source, reason: problem };
  return { ok: true, spec: value as OpenApiDocument, source };
}
