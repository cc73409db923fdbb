import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, errorMessage } from '../shared/errors.js';

/**
 * Reads a file a config key names (relative to the config's folder); a missing or unreadable
 * one is a config error that names the key and says what was expected.
 */
export function readInputFile(
  key: string,
  file: string,
  baseDir: string,
  expected: string,
): { resolved: string; text: string } {
  const resolved = path.resolve(baseDir, file);
  try {
    return { resolved, text: readFileSync(resolved, 'utf8') };
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(
      `\`${key}\`: ${missing ? `file ${resolved} not found` : `cannot read ${resolved}: ${errorMessage(error)}`}, expected ${expected}`,
    );
  }
}
