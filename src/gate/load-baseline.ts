import path from 'node:path';
import { readInputFile } from '../config/read-input-file.js';
import { ConfigError, errorMessage } from '../errors.js';
import type { Baseline } from './evaluate-gate.js';

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

/**
 * An earlier JSON report's text as a baseline; throws "is not ..." (to follow the file's name)
 * when it is not one.
 */
export function parseBaseline(text: string, source: string): Baseline {
  let report: { schemaVersion?: unknown; stages?: unknown; commit?: unknown };
  try {
    report = JSON.parse(text) as typeof report;
  } catch {
    throw new Error('is not JSON, expected an earlier loadgate JSON report');
  }
  if (
    typeof report !== 'object' ||
    report === null ||
    report.schemaVersion !== 1 ||
    !Array.isArray(report.stages)
  ) {
    throw new Error('is not a loadgate JSON report (expected schemaVersion 1 and stages)');
  }
  return {
    stages: report.stages as Baseline['stages'],
    source,
    ...(typeof report.commit === 'string' ? { commit: report.commit } : {}),
  };
}
