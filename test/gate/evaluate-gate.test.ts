import { describe, expect, it } from 'vitest';
import { parseLimit } from '../../src/config/limit.js';
import type { Config } from '../../src/config/schema.js';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import { endpoint, run, seedFailure, stage } from '../support/run-result.js';

const limits = (extra: Partial<Config['thresholds']> = {}): Config['thresholds'] => ({
  failureRate: parseLimit('< 1%', '%')!,
  p95: parseLimit('< 500ms', 'ms')!,
  endpoints: {},
  ...extra,
});

const ok = (name = 'GET /items', p95 = 50) =>
  endpoint({ name, latency: { min: 1, max: 900, mean: 30, p50: 20, p90: 40, p95, p99: 800 } });

describe('evaluateGate', () => {
  it('passes when every threshold holds on the ramp', () => {
    const gate = evaluateGate(run([stage('smoke', [ok()]), stage('ramp', [ok()])]), limits());
    expect(gate.verdict).toBe('pass');
    expect(gate.thresholds.map((t) => [t.metric, t.scope, t.actual, t.status])).toEqual([
      ['failure-rate', 'global', 0, 'pass'],
      ['p95', 'global', 50, 'pass'],
    ]);
  });

  it('fails on p95 over the limit and names it in the headline', () => {
    const gate = evaluateGate(
      run([stage('smoke', [ok()]), stage('ramp', [ok('GET /items', 700)])]),
      limits(),
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
    const gate = evaluateGate(run([stage('smoke', [ok()]), stage('ramp', [bad])]), limits());
    expect(gate.thresholds[0]).toMatchObject({
      metric: 'failure-rate',
      actual: 1.5,
      status: 'fail',
    });
  });

  it('<= accepts the limit itself and < does not', () => {
    const at = run([stage('smoke', [ok()]), stage('ramp', [ok('GET /items', 500)])]);
    expect(evaluateGate(at, limits()).thresholds[1]?.status).toBe('fail');
    expect(
      evaluateGate(at, limits({ p95: parseLimit('<= 500ms', 'ms')! })).thresholds[1]?.status,
    ).toBe('pass');
  });

  it('evaluates per-endpoint thresholds on that endpoint', () => {
    const result = run([
      stage('smoke', [ok()]),
      stage('ramp', [ok('GET /items', 100), ok('POST /token', 400)]),
    ]);
    const gate = evaluateGate(
      result,
      limits({
        endpoints: { 'POST /token': { failureRate: undefined, p95: parseLimit('< 300ms', 'ms')! } },
      }),
    );
    expect(gate.verdict).toBe('fail');
    expect(gate.thresholds[2]).toMatchObject({
      metric: 'p95',
      scope: 'POST /token',
      actual: 400,
      status: 'fail',
    });
  });

  it('a threshold on an endpoint that got no requests is an error, not a silent pass', () => {
    const gate = evaluateGate(
      run([stage('smoke', [ok()]), stage('ramp', [ok()])]),
      limits({
        endpoints: { 'GET /typo': { failureRate: undefined, p95: parseLimit('< 1s', 'ms')! } },
      }),
    );
    expect(gate.verdict).toBe('fail');
    expect(gate.thresholds[2]).toMatchObject({
      status: 'error',
      actual: null,
      note: expect.stringContaining('GET /typo'),
    });
  });

  it('a failed smoke stage fails the gate with the status in the headline', () => {
    const gate = evaluateGate(seedFailure(), limits());
    expect(gate.verdict).toBe('fail');
    expect(gate.smokeFailed).toBe(true);
    expect(gate.headline).toBe('Smoke stage failed: POST /token returned 422 for every request');
  });

  it('never passes a p95 measured on requests that all failed', () => {
    const gate = evaluateGate(seedFailure(), limits());
    const p95 = gate.thresholds.find((t) => t.metric === 'p95');
    expect(p95).toMatchObject({
      actual: 5,
      status: 'fail',
      note: expect.stringContaining('every request failed'),
    });
  });

  it('an aborted ramp fails', () => {
    const gate = evaluateGate(
      run([
        stage('smoke', [ok()]),
        stage('ramp', [ok()], { status: 'aborted', reason: 'the stack exited' }),
      ]),
      limits(),
    );
    expect(gate.verdict).toBe('fail');
    expect(gate.headline).toContain('the stack exited');
  });
});
