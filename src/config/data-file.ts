import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, errorMessage } from '../shared/errors.js';
import { readInputFile } from './read-input-file.js';
import type { Config } from './schema.js';

/** Rows of `scenario.data`: one per virtual user (`${data.column}`). */
export type DataRows = Record<string, string>[];

/** Reads a CSV (header line first) or JSON (array of objects) file; errors name `scenario.data`. */
export function loadDataRows(file: string, baseDir: string): DataRows {
  const { resolved, text } = readInputFile(
    'scenario.data',
    file,
    baseDir,
    'a CSV or JSON file of rows',
  );
  const rows = resolved.endsWith('.json') ? parseJsonRows(text, resolved) : parseCsv(text);
  if (rows.length === 0)
    throw new ConfigError(`\`scenario.data\`: ${resolved} has no rows, expected at least one`);
  return rows;
}

function parseJsonRows(text: string, file: string): DataRows {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`\`scenario.data\`: ${file} is not valid JSON (${errorMessage(error)})`);
  }
  if (
    !Array.isArray(value) ||
    !value.every((row) => row && typeof row === 'object' && !Array.isArray(row))
  ) {
    throw new ConfigError(`\`scenario.data\`: ${file} must hold a list of objects`);
  }
  return value.map((row) =>
    Object.fromEntries(Object.entries(row as object).map(([k, v]) => [k, String(v)])),
  );
}

/** RFC 4180 CSV: a header line, quoted fields with "" escapes and embedded commas or newlines. */
export function parseCsv(text: string): DataRows {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...rows] = records.filter((r) => !(r.length === 1 && r[0] === ''));
  if (!header) return [];
  return rows.map((row) =>
    Object.fromEntries(header.map((name, i) => [name.trim(), row[i] ?? ''])),
  );
}

/** Every multipart file of the scenario must exist: checked before anything boots. */
export function checkUploadFiles(config: Config, baseDir: string): void {
  const steps = [
    ...config.scenario.setup.map((step, i) => ({ step, at: `scenario.setup[${i}]` })),
    ...config.scenario.tasks.map((step, i) => ({ step, at: `scenario.tasks[${i}]` })),
  ];
  for (const { step, at } of steps) {
    const body = step.request.body;
    if (body?.kind !== 'multipart') continue;
    for (const [name, file] of Object.entries(body.files)) {
      const resolved = path.resolve(baseDir, file.file);
      if (!existsSync(resolved)) {
        throw new ConfigError(
          `\`${at}.request.multipart.${name}.file\`: file ${resolved} not found`,
        );
      }
    }
  }
}
