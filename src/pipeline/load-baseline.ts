import path from 'node:path';
import { readInputFile } from '../config/read-input-file.js';
import { ConfigError, errorMessage } from '../shared/errors.js';
import { jsonReportSchema } from '../model/json-report.js';
import { parseJsonReport } from '../report/read-report.js';
import type { Baseline } from '../gate/evaluate-gate.js';

/**
 * Reads an earlier JSON report (`baseline-path`, `--baseline`) to compare with. A path that was
 * asked for but cannot be used is a config error: silently skipping it would pass a regression.
 */
export function loadBaseline(file: string, baseDir: string): Baseline {
  const { resolved, text } = readInputFile(
    'baseline-path',
    file,
    baseDir,
    'an earlier loadgate JSON report',
  );
  try {
    return parseBaseline(text, path.basename(resolved));
  } catch (error) {
    throw new ConfigError(`\`baseline-path\`: ${resolved} ${errorMessage(error)}`);
  }
}

/** What a baseline needs of an earlier JSON report, checked as the report's own schema does. */
const baselineReportSchema = jsonReportSchema.pick({
  schemaVersion: true,
  commit: true,
  stages: true,
});

/**
 * An earlier JSON report's text as a baseline; throws "is not ..." (to follow the file's name)
 * naming the wrong fields when it is not one.
 */
export function parseBaseline(text: string, source: string): Baseline {
  const report = parseJsonReport(text, baselineReportSchema);
  return { stages: report.stages, source, ...(report.commit ? { commit: report.commit } : {}) };
}
