import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import { keyNumbers } from '../../src/report/key-numbers.js';
import { buildJsonReport } from '../../src/report/report-data.js';
import { endpoint, run, stage } from '../support/run-result.js';
import { thresholdsOf } from '../support/thresholds.js';

const latency = (p95: number) => ({
  min: 1,
  max: 2000,
  mean: 90,
  p50: 40,
  p90: 80,
  p95,
  p99: 1500,
});

/** A ramp whose ramp-up was slow (p95 900 ms, 3 failures) and whose hold period was not. */
function rampWithHold() {
  const whole = endpoint({
    name: 'GET /items',
    requests: 400,
    failures: 3,
    rps: 40,
    latency: latency(900),
  });
  const held = endpoint({
    name: 'GET /items',
    requests: 300,
    failures: 0,
    rps: 37.46,
    latency: latency(120),
  });
  const ramp = stage('ramp', [whole]);
  const holdTotal = { ...stage('ramp', [held]).total, rps: 37.46 };
  return run([
    stage('smoke', [endpoint({ name: 'GET /items', requests: 1 })]),
    { ...ramp, hold: { startedAtSecond: 5, endpoints: [held], total: holdTotal } },
  ]);
}

function judged(gate: ReturnType<typeof evaluateGate>, metric: string) {
  return gate.thresholds.find((t) => t.metric === metric && t.scope === 'global' && !t.stage)
    ?.actual;
}

describe('keyNumbers: the outputs are the numbers the gate judged', () => {
  it.each([
    { excludeRampUp: true, p95Ms: 120, failureRate: 0, rps: 37.46 },
    { excludeRampUp: false, p95Ms: 900, failureRate: 0.75, rps: 40 },
  ])('exclude-ramp-up $excludeRampUp → p95 $p95Ms ms', ({ excludeRampUp, ...expected }) => {
    const result = rampWithHold();
    const gate = evaluateGate(
      result,
      thresholdsOf({ 'exclude-ramp-up': excludeRampUp, p95: '< 5s', rps: '> 1/s' }),
    );
    const report = buildJsonReport({
      version: '0.0.0',
      generatedAt: new Date(0),
      target: 'http://127.0.0.1:1',
      configDigest: 'sha256:x',
      result,
      gate,
      findings: [],
      plan: [],
    });
    const numbers = keyNumbers(report);
    expect(numbers).toEqual(expected);
    expect(numbers).toEqual({
      p95Ms: judged(gate, 'p95'),
      failureRate: judged(gate, 'failure-rate'),
      rps: judged(gate, 'rps'),
    });
  });

  it('reads the smoke stage when the ramp made no request, and zeros when nothing ran', () => {
    const smoke = stage('smoke', [
      endpoint({ name: 'GET /a', requests: 4, failures: 1, rps: 2, latency: latency(33) }),
    ]);
    const base = {
      version: '0.0.0',
      generatedAt: new Date(0),
      target: 'http://127.0.0.1:1',
      configDigest: 'sha256:x',
      findings: [],
      plan: [],
    };
    expect(
      keyNumbers(
        buildJsonReport({
          ...base,
          result: run([smoke, stage('ramp', [], { status: 'skipped' })]),
        }),
      ),
    ).toEqual({ p95Ms: 33, failureRate: 25, rps: 0.4 });
    expect(keyNumbers(buildJsonReport({ ...base, error: 'stack not ready' }))).toEqual({
      p95Ms: 0,
      failureRate: 0,
      rps: 0,
    });
  });
});
