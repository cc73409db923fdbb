import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import type { Config } from '../../src/config/schema.js';
import type { EndpointStats } from '../../src/model/run-result.js';
import { endpoint, run, seedFailure, stage } from '../support/run-result.js';
import { wordedGate } from '../support/worded-gate.js';

/** Thresholds exactly as a user writes them, through the real schema. */
const thresholds = (raw: Record<string, unknown> = {}): Config['thresholds'] =>
  configSchema.parse({
    target: 'http://x',
    scenario: { tasks: [{ request: { url: '/' } }] },
    thresholds: raw,
  }).thresholds;

const ok = (name = 'GET /items', p95 = 50, extra: Partial<EndpointStats> = {}) =>
  endpoint({
    name,
    latency: { min: 1, max: 900, mean: 30, p50: 20, p90: 40, p95, p99: 800 },
    ...extra,
  });

describe('evaluateGate: limits', () => {
  it('passes when every threshold holds on the ramp, and says no baseline was compared', () => {
    const gate = wordedGate(run([stage('smoke', [ok()]), stage('ramp', [ok()])]), thresholds());
    expect(gate.verdict).toBe('pass');
    expect(gate.headline).toBe('All 2 thresholds passed (no baseline: regressions not checked)');
    expect(gate.thresholds.map((t) => [t.metric, t.scope, t.actual, t.status])).toEqual([
      ['failure-rate', 'global', 0, 'pass'],
      ['p95', 'global', 50, 'pass'],
    ]);
  });

  it('fails on p95 over the limit and names it in the headline', () => {
    const gate = wordedGate(
      run([stage('smoke', [ok()]), stage('ramp', [ok('GET /items', 700)])]),
      thresholds(),
    );
    expect(gate.verdict).toBe('fail');
    expect(gate.headline).toContain('p95 700ms (limit < 500ms)');
  });

  it('fails on failure rate, computed as a percentage', () => {
    const bad = endpoint({
      name: 'GET /items',
      requests: 200,
      failures: 3,
      statusCodes: { '200': 197, '500': 3 },
    });
    const gate = wordedGate(run([stage('smoke', [ok()]), stage('ramp', [bad])]), thresholds());
    expect(gate.thresholds[0]).toMatchObject({
      metric: 'failure-rate',
      actual: 1.5,
      status: 'fail',
    });
  });

  it.each([
    { limit: { p95: '< 500ms' }, p95: 500, status: 'fail' },
    { limit: { p95: '<= 500ms' }, p95: 500, status: 'pass' },
    { limit: { p95: '< 0.6s' }, p95: 500, status: 'pass' },
    { limit: { p99: '< 700ms' }, p95: 50, status: 'fail' },
    { limit: { max: '<= 900ms' }, p95: 50, status: 'pass' },
    { limit: { mean: '< 10ms' }, p95: 50, status: 'fail' },
    { limit: { p50: '< 25ms', p90: '< 45ms' }, p95: 50, status: 'pass' },
    { limit: { rps: '>= 10/s' }, p95: 50, status: 'pass' },
    { limit: { rps: '> 20/s' }, p95: 50, status: 'fail' },
  ])('$limit with p95 $p95 → $status', ({ limit, p95, status }) => {
    const gate = wordedGate(
      run([stage('smoke', [ok()]), stage('ramp', [ok('GET /items', p95)])]),
      thresholds({ ...limit, 'failure-rate': '< 100%', p95: limit.p95 ?? '< 10s' }),
    );
    expect(
      gate.thresholds
        .filter((t) => t.metric !== 'failure-rate' && (t.metric !== 'p95' || limit.p95))
        .every((t) => t.status === status),
    ).toBe(true);
  });

  it('evaluates per-endpoint and per-stage thresholds', () => {
    const result = run([
      stage('smoke', [ok('GET /items', 10)]),
      stage('ramp', [ok('GET /items', 100), ok('POST /token', 400)]),
    ]);
    const gate = wordedGate(
      result,
      thresholds({
        endpoints: { 'POST /token': { p95: '< 300ms' } },
        stages: { smoke: { p95: '< 5ms' } },
      }),
    );
    expect(gate.verdict).toBe('fail');
    expect(gate.thresholds).toContainEqual(
      expect.objectContaining({ metric: 'p95', scope: 'POST /token', actual: 400, status: 'fail' }),
    );
    expect(gate.thresholds).toContainEqual(
      expect.objectContaining({ metric: 'p95', stage: 'smoke', actual: 10, status: 'fail' }),
    );
  });

  it('exclude-ramp-up reads the hold period only', () => {
    const ramp = stage('ramp', [ok('GET /items', 900)], {
      hold: { startedAtSecond: 5, endpoints: [ok('GET /items', 60)], total: ok('Aggregated', 60) },
    });
    const result = run([stage('smoke', [ok()]), ramp]);
    expect(wordedGate(result, thresholds()).verdict).toBe('fail');
    expect(wordedGate(result, thresholds({ 'exclude-ramp-up': true })).verdict).toBe('pass');
  });

  it('a threshold on an endpoint that got no requests is an error, not a silent pass', () => {
    const gate = wordedGate(
      run([stage('smoke', [ok()]), stage('ramp', [ok()])]),
      thresholds({ endpoints: { 'GET /typo': { p95: '< 1s' } } }),
    );
    expect(gate.verdict).toBe('fail');
    expect(gate.thresholds[2]).toMatchObject({
      status: 'error',
      actual: null,
      fact: { kind: 'no-requests' },
      note: 'no requests to GET /typo were made: check the endpoint name',
    });
  });

  it('a failed smoke stage fails the gate with the status in the headline', () => {
    const gate = wordedGate(seedFailure(), thresholds());
    expect(gate).toMatchObject({
      verdict: 'fail',
      smokeFailed: true,
      headline: 'Smoke stage failed: POST /token returned 422 for every request',
    });
  });

  it('never passes a p95 measured on requests that all failed', () => {
    const p95 = wordedGate(seedFailure(), thresholds()).thresholds.find((t) => t.metric === 'p95');
    expect(p95).toMatchObject({
      actual: 5,
      status: 'fail',
      fact: { kind: 'all-failed', requests: 1 },
      note: 'every request failed: this latency is the time to get an error',
    });
  });

  it('words its notes and the thresholds of its headline in the report language', () => {
    const gate = wordedGate(
      run([stage('smoke', [ok()]), stage('ramp', [ok()])]),
      thresholds({ endpoints: { 'GET /typo': { p95: '< 1s' } } }),
      undefined,
      'fr',
    );
    expect(gate.headline).toBe(
      '1 contrôle(s) sur 3 en échec : p95 de GET /typo n.d. (limite < 1s)',
    );
    expect(gate.thresholds[2]?.note).toBe(
      'aucune requête vers GET /typo : vérifier le nom de l’endpoint',
    );
  });

  it('an aborted ramp fails', () => {
    const gate = wordedGate(
      run([
        stage('smoke', [ok()]),
        stage('ramp', [ok()], { status: 'aborted', reason: 'the stack exited' }),
      ]),
      thresholds(),
    );
    expect(gate.verdict).toBe('fail');
    expect(gate.headline).toContain('the stack exited');
  });

  it('says why the ramp was aborted in the report language when the engine gave facts', () => {
    const gate = wordedGate(
      run([
        stage('smoke', [ok()]),
        stage('ramp', [ok()], {
          status: 'aborted',
          reason: 'stopped after 7 failures (stages.ramp.max-failures: 5)',
          reasonFact: { kind: 'max-failures', failures: 7, limit: 5 },
        }),
      ]),
      thresholds(),
      undefined,
      'fr',
    );
    expect(gate.headline).toBe(
      'Étape ramp interrompue : arrêtée après 7 échecs (stages.ramp.max-failures : 5)',
    );
  });
});

describe('thresholds config', () => {
  it.each([
    [{ p95: '> 500ms' }, '`thresholds.p95`: got "> 500ms", expected a limit such as "< 500ms"'],
    [{ rps: '< 100/s' }, '`thresholds.rps`: got "< 100/s", expected a minimum such as "> 100/s"'],
    [{ p42: '< 1s' }, '`thresholds.p42`: unknown key'],
    [{ stages: { warmup: {} } }, '`thresholds.stages.warmup`: unknown key'],
    [
      { regression: { p95: { relative: 'lots' } } },
      '`thresholds.regression.p95.relative`: got "lots", expected a percentage such as 15%',
    ],
    [
      { 'exclude-ramp-up': 'yes' },
      '`thresholds.exclude-ramp-up`: got "yes", expected true or false',
    ],
  ])('%o is refused with a message naming the key', async (raw, message) => {
    const { loadConfig } = await import('../../src/config/load-config.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lg-')), 'c.yml');
    writeFileSync(
      file,
      JSON.stringify({
        target: 'http://x',
        scenario: { tasks: [{ request: { url: '/' } }] },
        thresholds: raw,
      }),
    );
    expect(() => loadConfig({ path: file, env: {} })).toThrow(message);
  });
});

describe('headline in French', () => {
  it('says the smoke failure in French', () => {
    expect(wordedGate(seedFailure(), thresholds(), undefined, 'fr').headline).toBe(
      'Échec de l’étape smoke : POST /token a répondu 422 pour chaque requête',
    );
  });
});
