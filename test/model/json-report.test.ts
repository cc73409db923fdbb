import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { diagnose } from '../support/diagnose.js';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import { jsonReportSchema } from '../../src/model/json-report.js';
import { readUntrustedReport } from '../../src/report/read-report.js';
import { buildJsonReport } from '../../src/report/report-data.js';
import { setAt, thrown } from '../support/malformed.js';
import { endpoint, run, seedFailure, stage } from '../support/run-result.js';

const config = configSchema.parse({
  target: 'http://127.0.0.1:8000',
  scenario: { tasks: [{ request: { url: '/items' } }] },
});

/** A report as the writer builds it: a failed smoke stage, a ramp with three endpoints. */
function written() {
  const seed = seedFailure();
  const ramp = stage(
    'ramp',
    ['GET /a', 'GET /b', 'GET /c'].map((name) => endpoint({ name })),
    {
      workers: [{ id: 'w1', users: 3, requests: 300, state: 'stopped' }],
      generatorProcesses: [{ process: 'master', cpuPercent: 12 }],
    },
  );
  const result = run([seed.stages[0]!, ramp]);
  const gate = evaluateGate(result, config.thresholds);
  const { findings, plan } = diagnose({ config, result, gate, locale: 'en' });
  return buildJsonReport({
    version: '0.1.0',
    generatedAt: new Date(0),
    target: config.target,
    configDigest: 'sha256:d1g35t',
    commit: 'a'.repeat(40),
    result,
    gate,
    findings,
    plan,
  });
}

/** The written report's JSON with values set at paths ("stages.1.total.rps"). */
function tampered(changes: Record<string, unknown>): string {
  const report: unknown = JSON.parse(JSON.stringify(written()));
  for (const [at, value] of Object.entries(changes)) setAt(report, at, value);
  return JSON.stringify(report);
}

const readError = (json: string) => thrown(() => readUntrustedReport(json, 'report.json')).message;

describe('the JSON report schema', () => {
  it('reads back what the writer wrote, every field kept (Locust workers too)', () => {
    const report = written();
    expect(report.findings.length).toBeGreaterThan(0);
    expect(jsonReportSchema.parse(report)).toEqual(report);
    expect(readUntrustedReport(JSON.stringify(report), 'report.json')).toEqual(report);
  });

  it('tolerates keys it does not know (a newer writer) and drops them', () => {
    const json = tampered({ someday: { nested: true }, 'stages.1.endpoints.0.histogram': [1, 2] });
    expect(readUntrustedReport(json, 'report.json')).toEqual(written());
  });

  it.each([
    {
      what: 'a wrong type deep in an endpoint',
      changes: { 'stages.1.endpoints.2.latency.p95': '9' },
      problems: '`stages[1].endpoints[2].latency.p95`: got "9", expected a number',
    },
    {
      what: 'a missing field',
      changes: { verdict: undefined },
      problems:
        '`verdict`: got nothing (the key is missing), expected one of "pass", "fail", "inconclusive"',
    },
    {
      what: 'a number that is text',
      changes: { regressions: '**0**' },
      problems: '`regressions`: got "**0**", expected a number',
    },
    {
      what: 'markdown where loadgate writes an id',
      changes: { 'findings.0.id': '![x](http://127.0.0.1/t.png)' },
      problems:
        '`findings[0].id`: got "![x](http://127.0.0.1/t.png)", expected text matching /^[a-z][\\w.-]*$/',
    },
    {
      what: 'a list longer than loadgate writes',
      changes: { 'stages.2': written().stages[1] },
      problems: '`stages`: got a list of 3, expected at most 2 items',
    },
    {
      what: 'an object where a list goes',
      changes: { 'stages.1.workers': { w1: 'stopped' } },
      problems: '`stages[1].workers`: got a map, expected a list',
    },
  ])('$what is refused, naming the field and what was expected', ({ changes, problems }) => {
    expect(readError(tampered(changes))).toBe(
      `report.json is not a loadgate JSON report (${problems})`,
    );
  });

  it('text that is not JSON', () => {
    expect(readError('{"schemaVersion": 1')).toBe(
      'report.json is not JSON, expected a loadgate JSON report',
    );
  });
});
