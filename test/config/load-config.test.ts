import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, type Override } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/shared/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-config-'));
let n = 0;
function write(text: string): string {
  const file = path.join(dir, `c${n++}.yml`);
  writeFileSync(file, text);
  return file;
}

const MINIMAL = `target: http://127.0.0.1:8000
scenario:
  tasks:
    - request: { url: /items }
`;

function load(
  text: string,
  overrides: Override[] = [],
  env: Record<string, string | undefined> = {},
) {
  return loadConfig({ path: write(text), overrides, env });
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: defaults', () => {
  it('a config with only target and one task is a valid gate with the mission defaults', () => {
    const { config } = load(MINIMAL);
    expect(config.target).toBe('http://127.0.0.1:8000');
    expect(config.stages).toEqual({
      smoke: { users: 1, iterations: 5 },
      ramp: { users: 300, spawnRate: 50, durationMs: 60_000 },
    });
    expect(config.thresholds.global['failure-rate']).toMatchObject({
      op: '<',
      value: 1,
      unit: '%',
    });
    expect(config.thresholds.global.p95).toMatchObject({ op: '<', value: 500, unit: 'ms' });
    expect(config.scenario.think).toEqual({ minMs: 0, maxMs: 0 });
    expect(config.scenario.tasks[0]).toMatchObject({
      name: 'GET /items',
      weight: 1,
      request: { method: 'GET', url: '/items', timeoutMs: 30_000 },
    });
  });

  it('parses the full example of DESIGN.md', () => {
    const { config } = load(
      `target: http://127.0.0.1:8000/
stack:
  start: ./start.sh
  env: { FAULT: none }
  ready: http://127.0.0.1:8000/health
  ready-timeout: 60s
  stop: docker compose down
  logs: docker compose logs --no-color
scenario:
  setup:
    - name: POST /token
      request:
        method: post
        url: /token
        form: { username: "\${env.API_USER}", password: "\${env.API_PASSWORD}" }
      capture: { token: json.access_token }
      check: { status: 200 }
  tasks:
    - weight: 3
      request: { method: GET, url: /items, headers: { Authorization: "Bearer \${token}" } }
  think: 0.5s..1.5s
stages:
  smoke: { users: 1, iterations: 5 }
  ramp: { users: 300, spawn-rate: 50, duration: 2m }
thresholds:
  failure-rate: "< 1%"
  p95: "< 500ms"
  endpoints:
    "POST /token": { p95: "<= 0.3s" }
`,
      [],
      { API_USER: 'u', API_PASSWORD: 'p' },
    );
    expect(config.target).toBe('http://127.0.0.1:8000');
    expect(config.stack).toMatchObject({
      start: './start.sh',
      env: { FAULT: 'none' },
      ready: { kind: 'http', url: 'http://127.0.0.1:8000/health' },
      readyTimeoutMs: 60_000,
    });
    expect(config.scenario.setup[0]).toMatchObject({
      name: 'POST /token',
      request: { method: 'POST', body: { kind: 'form', fields: { username: '${env.API_USER}' } } },
      capture: [{ variable: 'token', from: 'json.access_token' }],
      check: { status: [200] },
    });
    expect(config.scenario.think).toEqual({ minMs: 500, maxMs: 1500 });
    expect(config.stages.ramp.durationMs).toBe(120_000);
    expect(config.thresholds.endpoints['POST /token']?.p95).toMatchObject({ op: '<=', value: 300 });
  });

  it('stack.ready-status and stack.ready-log refine readiness', () => {
    const { config } = load(
      `${MINIMAL}stack: { start: x, ready: "http://127.0.0.1:8000/", ready-status: [200, 404], ready-log: "Uvicorn running" }\n`,
    );
    expect(config.stack?.ready).toEqual({
      kind: 'http',
      url: 'http://127.0.0.1:8000/',
      statuses: [200, 404],
    });
    expect(config.stack?.readyLog).toBe('Uvicorn running');
    expect(
      errorOf(() => load(`${MINIMAL}stack: { start: x, ready-log: "([" }\n`)).message,
    ).toContain('`stack.ready-log`: got "([", expected a valid regular expression');
  });

  it('accepts a tcp:// readiness probe', () => {
    const { config } = load(`${MINIMAL}stack: { start: "true", ready: "tcp://127.0.0.1:5432" }\n`);
    expect(config.stack?.ready).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 5432 });
  });
});

describe('loadConfig: overrides', () => {
  it('inputs override the file and are validated by the same schema', () => {
    const { config } = load(MINIMAL, [
      { key: ['stages', 'ramp', 'users'], value: 20, source: 'input `users`' },
      { key: ['thresholds', 'p95'], value: '< 200ms', source: 'input `p95`' },
      { key: ['target'], value: 'http://localhost:9000', source: 'input `target`' },
    ]);
    expect(config.stages.ramp.users).toBe(20);
    expect(config.thresholds.global.p95?.value).toBe(200);
    expect(config.target).toBe('http://localhost:9000');
  });

  it('names the input when an override is wrong', () => {
    const error = errorOf(() =>
      load(MINIMAL, [{ key: ['stages', 'ramp', 'users'], value: 'lots', source: 'input `users`' }]),
    );
    expect(error.message).toContain(
      'input `users` (`stages.ramp.users`): got "lots", expected a positive integer',
    );
  });
});

// Each bad config: the message must name the key, the value and what was expected.
const BAD: { what: string; yaml: string; expected: string[] }[] = [
  {
    what: 'unknown top-level key with a suggestion',
    yaml: `${MINIMAL}stak: {}\n`,
    expected: ['`stak`: unknown key (did you mean `stack`?)'],
  },
  {
    what: 'unknown nested key lists the known ones',
    yaml: `${MINIMAL}stages: { ramp: { zzz: 1 } }\n`,
    expected: [
      '`stages.ramp.zzz`: unknown key (expected one of: users, spawn-rate, duration, rate, max-failures)',
    ],
  },
  {
    what: 'negative users',
    yaml: `${MINIMAL}stages: { ramp: { users: -5 } }\n`,
    expected: ['`stages.ramp.users`: got -5, expected a positive integer'],
  },
  {
    what: 'fractional users',
    yaml: `${MINIMAL}stages: { ramp: { users: 2.5 } }\n`,
    expected: ['`stages.ramp.users`: got 2.5, expected a positive integer'],
  },
  {
    what: 'spawn rate 0',
    yaml: `${MINIMAL}stages: { ramp: { spawn-rate: 0 } }\n`,
    expected: ['`stages.ramp.spawn-rate`: got 0, expected a positive number of users per second'],
  },
  {
    what: 'bad duration',
    yaml: `${MINIMAL}stages: { ramp: { duration: abc } }\n`,
    expected: ['`stages.ramp.duration`: got "abc", expected a duration such as 60s'],
  },
  {
    what: 'duration as a bare number',
    yaml: `${MINIMAL}stages: { ramp: { duration: 60 } }\n`,
    expected: ['`stages.ramp.duration`: got 60, expected a duration'],
  },
  {
    what: 'threshold banana',
    yaml: `${MINIMAL}thresholds: { p95: "< banana" }\n`,
    expected: ['`thresholds.p95`: got "< banana", expected a limit such as "< 500ms"'],
  },
  {
    what: 'failure rate in ms',
    yaml: `${MINIMAL}thresholds: { failure-rate: "< 5ms" }\n`,
    expected: ['`thresholds.failure-rate`: got "< 5ms", expected a limit such as "< 1%"'],
  },
  {
    what: 'failure rate over 100%',
    yaml: `${MINIMAL}thresholds: { failure-rate: "< 150%" }\n`,
    expected: ['`thresholds.failure-rate`: got "< 150%"'],
  },
  {
    what: 'target without scheme',
    yaml: `target: 127.0.0.1:8000\nscenario: { tasks: [ { request: { url: / } } ] }\n`,
    expected: ['`target`: got "127.0.0.1:8000", expected an absolute http(s):// base URL'],
  },
  {
    what: 'missing target',
    yaml: `scenario: { tasks: [ { request: { url: / } } ] }\n`,
    expected: [
      '`target`: got nothing (the key is missing), expected an absolute http(s):// base URL',
    ],
  },
  {
    what: 'missing scenario',
    yaml: `target: http://x\n`,
    expected: ['`scenario`: got nothing (the key is missing)'],
  },
  {
    what: 'empty task list',
    yaml: `target: http://x\nscenario: { tasks: [] }\n`,
    expected: ['`scenario.tasks`: got a list of 0, expected at least one task'],
  },
  {
    what: 'bad method',
    yaml: `target: http://x\nscenario: { tasks: [ { request: { method: FETCH, url: / } } ] }\n`,
    expected: ['`scenario.tasks[0].request.method`: got "FETCH", expected one of GET, POST'],
  },
  {
    what: 'relative url without slash',
    yaml: `target: http://x\nscenario: { tasks: [ { request: { url: items } } ] }\n`,
    expected: ['`scenario.tasks[0].request.url`: got "items", expected a path such as /items'],
  },
  {
    what: 'two bodies',
    yaml: `target: http://x\nscenario: { tasks: [ { request: { url: /, json: {a: 1}, form: {b: 2} } } ] }\n`,
    expected: ['expected only one of json, form, body or multipart (got json and form)'],
  },
  {
    what: 'bad capture',
    yaml: `target: http://x\nscenario: { tasks: [ { request: { url: / }, capture: { t: body.token } } ] }\n`,
    expected: [
      '`scenario.tasks[0].capture.t`: got "body.token", expected json.<path>, header.<name> or regex:<pattern>',
    ],
  },
  {
    what: 'bad regex capture',
    yaml: `target: http://x\nscenario: { tasks: [ { request: { url: / }, capture: { t: "regex:([" } } ] }\n`,
    expected: ['expected a valid regular expression after regex:'],
  },
  {
    what: 'bad status check',
    yaml: `target: http://x\nscenario: { tasks: [ { request: { url: / }, check: { status: 999 } } ] }\n`,
    expected: ['`scenario.tasks[0].check.status`: got 999'],
  },
  {
    what: 'weight 0',
    yaml: `target: http://x\nscenario: { tasks: [ { weight: 0, request: { url: / } } ] }\n`,
    expected: ['`scenario.tasks[0].weight`: got 0, expected a positive integer weight'],
  },
  {
    what: 'bad think',
    yaml: `${MINIMAL.replace('tasks:', 'think: 2s..1s\n  tasks:')}`,
    expected: ['`scenario.think`: got "2s..1s", expected a think time'],
  },
  {
    what: 'bad ready probe',
    yaml: `${MINIMAL}stack: { start: x, ready: "localhost:80" }\n`,
    expected: ['`stack.ready`: got "localhost:80", expected an http(s):// URL or tcp://host:port'],
  },
  {
    what: 'empty start',
    yaml: `${MINIMAL}stack: { start: "" }\n`,
    expected: ['`stack.start`: got "", expected a shell command'],
  },
  {
    what: 'unknown locale',
    yaml: `${MINIMAL}locale: de\n`,
    expected: ['`locale`: got "de", expected "en" or "fr"'],
  },
  {
    what: 'unknown engine',
    yaml: `${MINIMAL}engine: jmeter\n`,
    expected: ['`engine`: got "jmeter", expected "builtin"'],
  },
  {
    what: 'endpoint threshold typo',
    yaml: `${MINIMAL}thresholds: { endpoints: { "GET /items": { failur-rate: "< 1%" } } }\n`,
    expected: [
      '`thresholds.endpoints["GET /items"].failur-rate`: unknown key (did you mean `failure-rate`?)',
    ],
  },
];

describe('loadConfig: bad configs name the key, the value and what was expected', () => {
  it.each(BAD)('$what', ({ yaml, expected }) => {
    const error = errorOf(() => load(yaml));
    for (const fragment of expected) expect(error.message).toContain(fragment);
  });
});

describe('loadConfig: files', () => {
  it('a missing file says where it looked', () => {
    const error = errorOf(() => loadConfig({ path: path.join(dir, 'nope.yml'), env: {} }));
    expect(error.message).toMatch(/config: file .*nope\.yml not found/);
  });

  it('a YAML syntax error gives the line and column', () => {
    const error = errorOf(() => load('target: http://x\nscenario:\n  tasks: [\n'));
    expect(error.message).toMatch(/c\d+\.yml:\d+:\d+: YAML syntax error/);
  });

  it('an empty file says what is expected', () => {
    expect(errorOf(() => load('')).message).toContain('the file is empty, expected a map');
  });

  it('a top-level list is refused', () => {
    expect(errorOf(() => load('- a\n- b\n')).message).toContain(
      'expected a map of keys at the top level',
    );
  });

  it('a YAML alias bomb is refused, not expanded', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(',')}]`,
      );
    expect(errorOf(() => load(`${bomb.join('\n')}\n`)).message).toMatch(/YAML/);
  });

  it('an oversized file is refused before parsing', () => {
    const error = errorOf(() => load(`# ${'x'.repeat(2 * 1024 * 1024)}\n${MINIMAL}`));
    expect(error.message).toContain('expected a config file under');
  });
});

describe('loadConfig: ${env.*} secrets', () => {
  const withSecret = `target: http://x
scenario:
  setup:
    - request: { method: POST, url: /token, form: { password: "\${env.API_PASSWORD}" } }
  tasks:
    - request: { url: / }
`;
  it('an empty or unset secret is a config error (config.empty-secret) naming the key', () => {
    for (const env of [{}, { API_PASSWORD: '' }]) {
      const error = errorOf(() => load(withSecret, [], env));
      expect(error.findingId).toBe('config.empty-secret');
      expect(error.message).toContain(
        '`scenario.setup[0].request.form.password`: ${env.API_PASSWORD} is empty or not set',
      );
    }
  });
  it('a set secret passes', () => {
    expect(load(withSecret, [], { API_PASSWORD: 'hunter2' }).config.scenario.setup).toHaveLength(1);
  });

  const withStackSecret = `target: http://127.0.0.1:8000
stack:
  start: ./start.sh
  env: { DB_PASSWORD: "\${env.PG_PASSWORD}", URL: "postgres://app:\${env.PG_PASSWORD}@127.0.0.1/app", MODE: test }
scenario:
  tasks:
    - request: { url: / }
`;
  it('stack.env reads the step environment with ${env.NAME}, resolved once, and names it as a secret', () => {
    const loaded = load(withStackSecret, [], { PG_PASSWORD: 's3cret-pg' });
    expect(loaded.config.stack?.env).toMatchObject({
      DB_PASSWORD: 's3cret-pg',
      URL: 'postgres://app:s3cret-pg@127.0.0.1/app',
      MODE: 'test',
    });
    expect(loaded.envReferences).toEqual(['PG_PASSWORD']);
  });
  it('an unset variable in stack.env is config.empty-secret naming the key, before anything boots', () => {
    const error = errorOf(() => load(withStackSecret, [], {}));
    expect(error.findingId).toBe('config.empty-secret');
    expect(error.message).toContain(
      '`stack.env.DB_PASSWORD`: ${env.PG_PASSWORD} is empty or not set',
    );
    expect(error.message).toContain('`stack.env.URL`: ${env.PG_PASSWORD} is empty or not set');
    // the same as facts, for the diagnosis
    expect(error.problem).toEqual({
      findingId: 'config.empty-secret',
      reads: [
        { key: 'stack.env.DB_PASSWORD', variable: 'PG_PASSWORD' },
        { key: 'stack.env.URL', variable: 'PG_PASSWORD' },
      ],
    });
  });
});
