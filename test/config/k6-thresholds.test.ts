import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readActionInputs } from '../../src/config/action-inputs.js';
import { parseLimit, type Metric } from '../../src/config/limit.js';
import { loadConfig, type Override } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/shared/errors.js';

// k6's threshold expressions, accepted under the key of the metric they limit, beside loadgate's.
const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-k6-'));
let n = 0;
function configFile(thresholds: string): string {
  const file = path.join(dir, `c${n++}.yml`);
  writeFileSync(
    file,
    `target: http://127.0.0.1:8000\nscenario: { tasks: [ { request: { url: /items } } ] }\nthresholds: ${thresholds}\n`,
  );
  return file;
}

function load(thresholds: string, overrides: Override[] = []) {
  return loadConfig({ path: configFile(thresholds), overrides, env: {} });
}

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    // the first line names the config file, the others are one issue each
    return (error as ConfigError).message.split('\n').slice(1).join('\n');
  }
  throw new Error('expected a ConfigError');
}

const LATENCY = (k6: string) =>
  `expected a limit such as "< 500ms" or "<= 2s" (operator < or <=, unit ms or s) or k6's ${k6} (a bare number is ms)`;
const RATE =
  'expected a limit such as "< 1%" (operator < or <=, a percentage from 0 to 100) or k6\'s "rate<0.01" (a fraction from 0 to 1)';
const RPS = 'expected a minimum such as "> 100/s" (operator > or >=, requests per second)';

describe('k6 threshold expressions', () => {
  it.each<[Metric, string, { op: string; value: number; unit: string }]>([
    ['p95', 'p(95)<500', { op: '<', value: 500, unit: 'ms' }],
    ['p95', 'p(95) <= 300', { op: '<=', value: 300, unit: 'ms' }],
    ['p95', 'p(95)<1s', { op: '<', value: 1000, unit: 'ms' }],
    ['p95', 'p(95)<500ms', { op: '<', value: 500, unit: 'ms' }],
    ['p95', 'p(95.0)<0.5s', { op: '<', value: 500, unit: 'ms' }],
    ['p99', 'p(99)<1s', { op: '<', value: 1000, unit: 'ms' }],
    ['p90', 'p(90)<=300', { op: '<=', value: 300, unit: 'ms' }],
    ['p50', 'p(50)<100', { op: '<', value: 100, unit: 'ms' }],
    ['p50', 'med<100', { op: '<', value: 100, unit: 'ms' }],
    ['mean', 'avg<200', { op: '<', value: 200, unit: 'ms' }],
    ['max', 'max<2s', { op: '<', value: 2000, unit: 'ms' }],
    ['failure-rate', 'rate<0.01', { op: '<', value: 1, unit: '%' }],
    ['failure-rate', 'rate<=0.07', { op: '<=', value: 7, unit: '%' }],
    ['failure-rate', 'rate<0', { op: '<', value: 0, unit: '%' }],
    ['failure-rate', 'rate<=1', { op: '<=', value: 100, unit: '%' }],
    // loadgate's own forms are unchanged
    ['p95', '< 500ms', { op: '<', value: 500, unit: 'ms' }],
    ['p95', '<= 2s', { op: '<=', value: 2000, unit: 'ms' }],
    ['failure-rate', '< 1%', { op: '<', value: 1, unit: '%' }],
    ['rps', '>= 100/s', { op: '>=', value: 100, unit: '/s' }],
  ])('%s: %s', (metric, text, limit) => {
    expect(parseLimit(text, metric)).toEqual({ ...limit, text: text.trim() });
  });

  it.each<[string, string]>([
    [
      'p95: "p(99)<500"',
      `${LATENCY('"p(95)<500"')}: k6's p(99) limits p99: write it under \`p99\``,
    ],
    ['p95: "med<100"', `${LATENCY('"p(95)<500"')}: k6's med limits p50: write it under \`p50\``],
    [
      'p95: "rate<0.01"',
      `${LATENCY('"p(95)<500"')}: k6's rate is the failure rate: write it under \`failure-rate\``,
    ],
    [
      'p95: "p(75)<500"',
      `${LATENCY('"p(95)<500"')}: loadgate measures p(50), p(90), p(95), p(99), not p(75)`,
    ],
    [
      'p95: "p(99.9)<500"',
      `${LATENCY('"p(95)<500"')}: loadgate measures p(50), p(90), p(95), p(99), not p(99.9)`,
    ],
    ['p95: "p95<500"', `${LATENCY('"p(95)<500"')}: k6 writes p95 as p(95)`],
    ['p95: "p(95)>500"', `${LATENCY('"p(95)<500"')}: p(95) takes an upper bound (< or <=), not >`],
    [
      'p95: "p(95)==500"',
      `${LATENCY('"p(95)<500"')}: p(95) takes an upper bound (< or <=), not ==`,
    ],
    [
      'p95: "p(95)<5%"',
      `${LATENCY('"p(95)<500"')}: a latency is in ms (a bare number) or s, not %`,
    ],
    ['p95: "p(95)<"', LATENCY('"p(95)<500"')],
    ['p95: "< 500"', LATENCY('"p(95)<500"')],
    [
      'p50: "min<10"',
      `${LATENCY('"p(50)<500" or "med<500"')}: k6's min has no loadgate threshold (a fastest request says nothing about the service)`,
    ],
    [
      'mean: "count<10"',
      `${LATENCY('"avg<500"')}: k6's count has no loadgate threshold (use rps for throughput)`,
    ],
    [
      'max: "stddev<10"',
      `${LATENCY('"max<500"')}: stddev is not a k6 aggregation loadgate knows (p(N), avg, med, max, rate)`,
    ],
    ['failure-rate: "rate<1.5"', `${RATE}: k6's rate is a fraction from 0 to 1 (0.01 is 1%)`],
    ['failure-rate: "rate<1%"', `${RATE}: k6's rate is a fraction from 0 to 1 (0.01 is 1%)`],
    ['failure-rate: "avg<200"', `${RATE}: k6's avg limits mean: write it under \`mean\``],
    ['failure-rate: "< 5ms"', RATE],
    ['rps: "rate>100"', `${RPS}: k6's rate is the failure rate: write it under \`failure-rate\``],
  ])(
    'thresholds: { %s } is refused with the key, the value and both forms',
    (thresholds, message) => {
      const [key, value] = thresholds.split(': ') as [string, string];
      expect(configError(() => load(`{ ${thresholds} }`))).toBe(
        `- \`thresholds.${key}\`: got ${value}, ${message}`,
      );
    },
  );

  it('a k6 expression limits an endpoint or a stage as well', () => {
    const { config } = load(
      `{ stages: { smoke: { p99: "p(99)<1s" } }, endpoints: { "GET /items": { mean: "avg<200" } } }`,
    );
    expect(config.thresholds.stages.smoke?.p99).toEqual({
      op: '<',
      value: 1000,
      unit: 'ms',
      text: 'p(99)<1s',
    });
    expect(config.thresholds.endpoints['GET /items']?.mean).toMatchObject({ value: 200 });
  });

  it('the p95 and failure-rate inputs of the action take k6 expressions too', () => {
    const inputs: Record<string, string> = { p95: 'p(95)<250', 'failure-rate': 'rate<0.05' };
    const { overrides } = readActionInputs((name) => inputs[name] ?? '');
    const { config } = load('{}', overrides);
    expect(config.thresholds.global.p95).toMatchObject({ op: '<', value: 250, text: 'p(95)<250' });
    expect(config.thresholds.global['failure-rate']).toMatchObject({ value: 5, unit: '%' });

    const wrong = readActionInputs((name) => ({ p95: 'p(99)<250' })[name] ?? '').overrides;
    expect(configError(() => load('{}', wrong))).toBe(
      `- input \`p95\` (\`thresholds.p95\`): got "p(99)<250", ${LATENCY('"p(95)<500"')}: k6's p(99) limits p99: write it under \`p99\``,
    );
  });
});
