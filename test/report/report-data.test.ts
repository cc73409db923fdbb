import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import type { RunResult } from '../../src/model/run-result.js';
import type { Locale } from '../../src/report/messages.js';
import { buildJsonReport } from '../../src/report/report-data.js';
import { endpoint, run, seedFailure, stage } from '../support/run-result.js';

const thresholds = configSchema.parse({
  target: 'http://127.0.0.1:8000',
  scenario: { tasks: [{ request: { url: '/items' } }] },
  thresholds: { endpoints: { 'GET /typo': { p95: '< 1s' } } },
}).thresholds;

/** A smoke and a ramp that pass, and a threshold on an endpoint that was never called. */
const typo = () =>
  run([
    stage('smoke', [endpoint({ name: 'GET /items' })]),
    stage('ramp', [endpoint({ name: 'GET /items' })]),
  ]);

const report = (result: RunResult, locale?: Locale) =>
  buildJsonReport({
    version: '0.1.0',
    generatedAt: new Date(0),
    target: 'http://127.0.0.1:8000',
    configDigest: 'd1g35t',
    result,
    gate: evaluateGate(result, thresholds),
    findings: [],
    plan: [],
    ...(locale ? { locale } : {}),
  });

describe('the gate returns facts; the JSON report words them', () => {
  it('the gate has no words: a headline fact, thresholds with facts and no note', () => {
    const gate = evaluateGate(typo(), thresholds);
    expect(gate).not.toHaveProperty('headline');
    expect(gate.headlineFact).toMatchObject({ kind: 'checks-failed', checks: 3 });
    expect(gate.thresholds[2]).toEqual({
      metric: 'p95',
      scope: 'GET /typo',
      limit: '< 1s',
      actual: null,
      unit: 'ms',
      status: 'error',
      fact: { kind: 'no-requests' },
    });
  });

  it('words the headline, a limit and a note in the report language (English by default)', () => {
    const en = report(typo());
    expect(en.headline).toBe('1 of 3 checks failed: p95 of GET /typo n/a (limit < 1s)');
    expect(en.thresholds[2]).toMatchObject({
      limit: '< 1s',
      note: 'no requests to GET /typo were made: check the endpoint name',
    });
    const fr = report(typo(), 'fr');
    expect(fr.headline).toBe('1 contrôle(s) sur 3 en échec : p95 de GET /typo n.d. (limite < 1s)');
    expect(fr.thresholds[2]?.note).toBe(
      'aucune requête vers GET /typo : vérifier le nom de l’endpoint',
    );
  });

  it('words a stage reason given as facts in English, and keeps an engine’s own text', () => {
    for (const locale of ['en', 'fr'] as const) {
      const seed = report(seedFailure(), locale);
      expect(seed.stages[1]).toMatchObject({
        status: 'skipped',
        reason:
          'smoke stage failed (1 of 1 request failed; first error: HTTP 422), so the ramp was not run',
        reasonFact: { kind: 'smoke-failed', failures: 1, requests: 1, firstError: 'HTTP 422' },
      });
      expect(Object.keys(seed.stages[1]!).slice(0, 3)).toEqual(['name', 'status', 'reason']);
    }
    const stopped = run([
      stage('smoke', [endpoint({ name: 'GET /items' })]),
      stage('ramp', [endpoint({ name: 'GET /items' })], {
        status: 'aborted',
        reason: 'Locust exited with code 1',
      }),
    ]);
    expect(report(stopped, 'fr').stages[1]?.reason).toBe('Locust exited with code 1');
  });
});

describe('layers', () => {
  it('the gate, the engines, transport, the config, the stack, the model, OpenAPI and shared import nothing from report/', () => {
    const src = path.resolve(import.meta.dirname, '../../src');
    const upward = [
      'gate',
      'engine',
      'config',
      'stack',
      'model',
      'openapi',
      'transport',
      'shared',
    ].flatMap((dir) =>
      (readdirSync(path.join(src, dir), { recursive: true }) as string[])
        .filter((file) => file.endsWith('.ts'))
        .map((file) => path.join(dir, file))
        .filter((file) =>
          /from '(\.\.\/)+report\//.test(readFileSync(path.join(src, file), 'utf8')),
        ),
    );
    expect(upward).toEqual([]);
  });
});
