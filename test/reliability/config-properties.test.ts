import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/shared/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'lg-props-'));
let n = 0;

/** Loads `value` as a config file; returns the error, or undefined when it was accepted. */
function attempt(value: unknown, text?: string): unknown {
  const file = path.join(dir, `p${n++}.yml`);
  writeFileSync(file, text ?? JSON.stringify(value));
  try {
    loadConfig({ path: file, env: { SET: 'x' } });
    return undefined;
  } catch (error) {
    return error;
  }
}

/** A config error names a key (in backticks), the file, or the YAML position. */
function expectClearError(error: unknown) {
  if (error === undefined) return;
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as Error).message).toMatch(
    /`[^`]+`|YAML|config: file|expected a map|the file is empty/,
  );
}

const KEYS = [
  'target',
  'stack',
  'scenario',
  'stages',
  'thresholds',
  'locale',
  'engine',
  'max-duration',
  'baseline-path',
];
const base = { target: 'http://127.0.0.1:8000', scenario: { tasks: [{ request: { url: '/' } }] } };

describe('config: no input makes the parser throw anything but a config error naming a key', () => {
  it('any JSON value at any top-level key', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KEYS), fc.jsonValue(), (key, value) => {
        expectClearError(attempt({ ...base, [key]: value }));
      }),
      { numRuns: 300 },
    );
  });

  it('any JSON value deep in the stages, thresholds and scenario', () => {
    const paths = [
      ['stages', 'ramp', 'users'],
      ['stages', 'smoke'],
      ['thresholds', 'p95'],
      ['thresholds', 'endpoints'],
      ['thresholds', 'regression', 'p95'],
      ['scenario', 'tasks', 0, 'request'],
      ['scenario', 'tasks', 0, 'check'],
      ['scenario', 'setup'],
      ['scenario', 'think'],
      ['stack', 'ready'],
    ] as const;
    fc.assert(
      fc.property(fc.constantFrom(...paths), fc.jsonValue(), (at, value) => {
        const config = structuredClone(base) as Record<string, unknown>;
        let node = config as Record<string | number, unknown>;
        at.slice(0, -1).forEach((key) => {
          node[key] ??= {};
          node = node[key] as Record<string | number, unknown>;
        });
        node[at[at.length - 1] as string | number] = value;
        expectClearError(attempt(config));
      }),
      { numRuns: 300 },
    );
  });

  it('any text as the file', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expectClearError(attempt(undefined, text));
      }),
      { numRuns: 200 },
    );
  });

  it('deep nesting does not overflow anything', () => {
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
    const text = `{"target":"http://x","scenario":{"tasks":[{"request":{"url":"/"}}]},"thresholds":${deep}}`;
    const error = attempt(undefined, text);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain('nested deeper than 64 levels');
  });
});
