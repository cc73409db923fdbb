import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveEngine } from '../../src/config/engine-options.js';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { loadConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/shared/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-engine-options-'));
const LOCUSTFILE = path.join(dir, 'locustfile.py');
writeFileSync(LOCUSTFILE, 'from locust import HttpUser\n');
let n = 0;

/** loadgate.yml → the options the engine is built with, or the config error. */
function resolve(yaml: string) {
  const file = path.join(dir, `c${n++}.yml`);
  writeFileSync(file, `target: http://127.0.0.1:8000\n${yaml}`);
  const { config, baseDir } = loadConfig({ path: file, env: {} });
  return resolveEngine(config, baseDir);
}
function refusal(yaml: string): string {
  try {
    resolve(yaml);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

const SCENARIO = 'scenario: { tasks: [ { request: { url: /items } } ] }\n';
const LOCUST = 'engine: locust\nlocustfile: locustfile.py\n';

/** Every engine key, and what the engine receives for it. */
const REACHES: { key: string; yaml: string; options: unknown }[] = [
  { key: 'engine', yaml: SCENARIO, options: { engine: 'builtin' } },
  { key: 'engine', yaml: `engine: locust\n${SCENARIO}`, options: { engine: 'locust', locust: {} } },
  {
    key: 'locustfile',
    yaml: LOCUST,
    options: { engine: 'locust', locust: { locustfile: LOCUSTFILE } },
  },
  {
    key: 'locust.workers',
    yaml: `${LOCUST}locust: { workers: 2 }\n`,
    options: { engine: 'locust', locust: { locustfile: LOCUSTFILE, workers: 2 } },
  },
  {
    key: 'locust.expect-workers',
    yaml: `${LOCUST}locust: { workers: 1, expect-workers: 1 }\n`,
    options: { engine: 'locust', locust: { locustfile: LOCUSTFILE, workers: 1, expectWorkers: 1 } },
  },
  {
    key: 'locust.master-bind',
    yaml: `${LOCUST}locust: { expect-workers: 2, master-bind: "0.0.0.0:5557" }\n`,
    options: {
      engine: 'locust',
      locust: {
        locustfile: LOCUSTFILE,
        expectWorkers: 2,
        masterBind: { host: '0.0.0.0', port: 5557 },
      },
    },
  },
];

/** Config an engine cannot honour: refused, naming the key. */
const REFUSED: { yaml: string; expected: string }[] = [
  {
    yaml: `locustfile: locustfile.py\n${SCENARIO}`,
    expected: '`locustfile`: got "locustfile.py", expected no locustfile with the built-in engine',
  },
  {
    yaml: `locust: { workers: 2 }\n${SCENARIO}`,
    expected: '`locust`: got a map, expected no `locust:` settings with the built-in engine',
  },
  { yaml: '', expected: '`scenario`: got nothing (the key is missing), expected a scenario' },
  {
    yaml: 'engine: locust\n',
    expected:
      '`scenario`: got nothing (the key is missing), expected a scenario with tasks, or a `locustfile`',
  },
  {
    yaml: `${LOCUST}${SCENARIO}`,
    expected: '`scenario`: got a map, expected no scenario with `locustfile`',
  },
  {
    yaml: `${LOCUST}stages: { ramp: { rate: 10/s } }\n`,
    expected: '`stages.ramp.rate`: got "10/s", expected no arrival rate with `engine: locust`',
  },
  {
    yaml: `${LOCUST}stages: { ramp: { max-failures: 5 } }\n`,
    expected: '`stages.ramp.max-failures`: got 5, expected no max-failures with `engine: locust`',
  },
  {
    yaml: `${LOCUST}thresholds: { abort-on-fail: true }\n`,
    expected: '`thresholds.abort-on-fail`: got true, expected false with `engine: locust`',
  },
  {
    yaml: `${LOCUST}thresholds: { exclude-ramp-up: true }\n`,
    expected: '`thresholds.exclude-ramp-up`: got true, expected false with `engine: locust`',
  },
  {
    yaml: `engine: locust\nscenario: { data: users.csv, tasks: [ { request: { url: / } } ] }\n`,
    expected: '`scenario.data`: got "users.csv", expected no data file with `engine: locust`',
  },
  {
    yaml: `engine: locust\nscenario: { tasks: [ { request: { url: /, method: POST, multipart: { a: b } } } ] }\n`,
    expected: '`scenario.tasks[0].request.multipart`: got a map, expected no multipart body',
  },
  {
    yaml: `engine: locust\nscenario: { tasks: [ { request: { url: / }, check: { json: { a: 1 } } } ] }\n`,
    expected: '`scenario.tasks[0].check.json`: got a map, expected no JSON check',
  },
  {
    yaml: `${LOCUST}locust: { workers: 3, expect-workers: 2 }\n`,
    expected: '`locust.expect-workers`: got 2, expected at least `locust.workers` (3)',
  },
  {
    yaml: `${LOCUST}locust: { workers: 1, expect-workers: 3 }\n`,
    expected:
      '`locust.expect-workers`: got 3, expected `locust.master-bind` too (e.g. "0.0.0.0:5557"): 2 remote workers need an address and a port to join',
  },
  {
    yaml: `${LOCUST}locust: { master-bind: "0.0.0.0:5557" }\n`,
    expected:
      '`locust.master-bind`: got "0.0.0.0:5557", expected with `locust.workers` or `locust.expect-workers`',
  },
  {
    yaml: 'engine: locust\nlocustfile: nowhere.py\n',
    expected: '`locustfile`: got "nowhere.py", expected an existing file',
  },
];

describe('config → engine options (resolveEngine)', () => {
  it.each(REACHES)('$key reaches the engine: $yaml', ({ yaml, options }) => {
    expect(resolve(yaml)).toEqual({ options, issues: [] });
  });

  it.each(REFUSED)('refused by name: $yaml', ({ yaml, expected }) => {
    expect(refusal(yaml)).toContain(expected);
  });

  it('every key of `locust:` and every top-level engine key has a row that reaches the engine', () => {
    const properties = configJsonSchema().properties as Record<
      string,
      { properties?: Record<string, unknown> }
    >;
    const keys = [
      'engine',
      'locustfile',
      ...Object.keys(properties.locust?.properties ?? {}).map((k) => `locust.${k}`),
    ];
    expect(keys.length).toBeGreaterThan(3);
    expect(new Set(REACHES.map((r) => r.key))).toEqual(new Set(keys));
  });
});
