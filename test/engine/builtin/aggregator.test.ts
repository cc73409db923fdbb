import { build, type Histogram } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { StageAggregator } from '../../../src/engine/builtin/aggregator.js';
import type { TimelinePoint } from '../../../src/model/run-result.js';

const sample = { request: { method: 'GET', url: 'http://x/a', headers: {} } };

describe('the stage aggregator', () => {
  it('per endpoint and in total: counts, statuses, bytes, latency in ms, error groups', () => {
    const aggregator = new StageAggregator([
      { name: 'GET /a', method: 'GET' },
      { name: 'POST /b', method: 'POST' },
    ]);
    for (let i = 1; i <= 100; i++) aggregator.record(0, i * 1000, 200, 10, 0, undefined);
    aggregator.addSample(1, 'HTTP 422', 'status', 422, sample);
    aggregator.record(1, 5000, 422, 30, 20, 'HTTP 422');
    aggregator.record(1, 7000, 422, 30, 20, 'HTTP 422');
    aggregator.addSample(1, 'ECONNREFUSED: connection refused', 'refused', undefined, sample);
    aggregator.record(1, 300, 0, 0, 20, 'ECONNREFUSED: connection refused');
    // never sent: counted as a failed request, without latency, status or bytes
    aggregator.addSample(1, 'variable ${x} is not set', 'request-build', undefined, sample);
    aggregator.record(1, 0, undefined, 0, 0, 'variable ${x} is not set');

    const { endpoints, total } = aggregator.result(10_000);
    const [a, b] = endpoints;
    expect(a).toMatchObject({
      requests: 100,
      failures: 0,
      bytesReceived: 1000,
      rps: 10,
      statusCodes: { '200': 100 },
      errors: [],
    });
    // HDR histograms with 3 significant digits: within 0.1%
    const { min, max, mean, p50, p90, p95, p99 } = a!.latency;
    expect([min, max]).toEqual([1, 100]);
    for (const [value, expected] of [
      [mean, 50.5],
      [p50, 50],
      [p90, 90],
      [p95, 95],
      [p99, 99],
    ] as const) {
      expect(Math.abs(value - expected)).toBeLessThanOrEqual(expected / 1000 + 0.01);
    }
    expect(a?.quantiles).toHaveLength(201);
    expect(b).toMatchObject({
      requests: 4,
      failures: 4,
      bytesReceived: 60,
      bytesSent: 60,
      failuresPerSecond: 0.4,
      statusCodes: { '0': 1, '422': 2 },
    });
    expect(b?.latency).toMatchObject({ min: 0.3, max: 7 });
    expect(b?.errors.map((e) => [e.message, e.kind, e.count, e.status])).toEqual([
      ['HTTP 422', 'status', 2, 422],
      ['ECONNREFUSED: connection refused', 'refused', 1, undefined],
      ['variable ${x} is not set', 'request-build', 1, undefined],
    ]);
    expect(total).toMatchObject({
      name: 'Aggregated',
      requests: 104,
      failures: 4,
      bytesReceived: 1060,
      statusCodes: { '0': 1, '200': 100, '422': 2 },
    });
    expect(total.latency).toMatchObject({ min: 0.3, max: 100 });
    expect(total.errors).toHaveLength(3);
  });

  it('a timeline point per second, and the hold period apart', () => {
    const aggregator = new StageAggregator([{ name: 'GET /a', method: 'GET' }]);
    aggregator.record(0, 2000, 200, 0, 0, undefined);
    aggregator.record(0, 4000, 500, 0, 0, 'HTTP 500');
    expect(aggregator.tick(1, 5)).toEqual({
      second: 1,
      users: 5,
      rps: 2,
      failuresPerSecond: 1,
      p50: 2,
      p95: 4,
      p99: 4,
    });
    aggregator.startHold(1000);
    aggregator.record(0, 1000, 200, 0, 0, undefined);
    expect(aggregator.tick(2, 10)).toMatchObject({ second: 2, rps: 1, failuresPerSecond: 0 });
    const { hold, total } = aggregator.result(3000);
    expect(total.requests).toBe(3);
    expect(hold).toMatchObject({ startedAtSecond: 1, total: { requests: 1, rps: 0.5 } });
    expect(aggregator.totals).toEqual({ requests: 3, failures: 1 });
    expect(aggregator.snapshot(3000)).toMatchObject({ requests: 3, failures: 1, rps: 1 });
  });

  it('an endpoint without requests reports zeros', () => {
    const { endpoints } = new StageAggregator([{ name: 'GET /a', method: 'GET' }]).result(1000);
    expect(endpoints[0]).toMatchObject({
      requests: 0,
      latency: { min: 0, max: 0, mean: 0, p50: 0, p95: 0 },
      quantiles: [],
      statusCodes: {},
    });
  });

  it('each second and the hold read as if every request had been recorded in them apart', () => {
    // the aggregator records a request once (its endpoint); a second and the hold are
    // differences of merged distributions: the oracle records each request three times
    const seeded = mulberry32(7);
    const endpoints = ['GET /a', 'POST /b', 'GET /c'].map((name) => ({ name, method: 'GET' }));
    const aggregator = new StageAggregator(endpoints);
    const oracle = () =>
      build({
        lowestDiscernibleValue: 1,
        highestTrackableValue: 3_600_000_000,
        numberOfSignificantValueDigits: 3,
        autoResize: true,
      });
    const holdOracle = endpoints.map(() => ({
      histogram: oracle(),
      requests: 0,
      statuses: {} as Record<string, number>,
    }));
    let second = oracle();
    let holding = false;
    const points: TimelinePoint[] = [];
    const ms = (h: Histogram, q: number) => Math.round(h.getValueAtPercentile(q) / 10) / 100;
    for (let s = 1; s <= 8; s++) {
      const n = s === 4 ? 0 : 200 + Math.floor(seeded() * 300);
      for (let i = 0; i < n; i++) {
        if (s === 3 && i === 100) {
          aggregator.startHold(2500);
          holding = true;
        }
        const endpoint = Math.floor(seeded() * 3);
        // mostly fast, a slow tail that grows over the run (second 6's reaches minutes)
        const latency =
          seeded() < 0.95
            ? 200 + Math.floor(seeded() * 5_000)
            : Math.floor(seeded() * 10 ** (4 + s / 1.5));
        const status =
          seeded() < 0.02 ? undefined : seeded() < 0.1 ? 503 : seeded() < 0.01 ? 799 : 200;
        const failure = status === 200 ? undefined : `failed ${status}`;
        aggregator.record(endpoint, latency, status, 10, 5, failure);
        if (holding) holdOracle[endpoint]!.requests++; // unsent ones count, without latency
        if (status === undefined) continue;
        second.recordValue(latency);
        if (holding) {
          const held = holdOracle[endpoint]!;
          held.histogram.recordValue(latency);
          held.statuses[String(status)] = (held.statuses[String(status)] ?? 0) + 1;
        }
      }
      const point = aggregator.tick(s, 10);
      expect(point.rps).toBe(n);
      expect([point.p50, point.p95, point.p99]).toEqual([
        ms(second, 50),
        ms(second, 95),
        ms(second, 99),
      ]);
      points.push(point);
      second = oracle();
    }
    expect(points[3]).toMatchObject({ rps: 0, p50: 0, p99: 0 });
    // the slow tail moved: seconds do not all read alike
    expect(new Set(points.map((p) => p.p99)).size).toBeGreaterThan(4);

    const { hold, endpoints: whole } = aggregator.result(8000);
    for (const [i, held] of hold!.endpoints.entries()) {
      const expected = holdOracle[i]!;
      expect(held.statusCodes).toEqual(expected.statuses);
      expect(held.quantiles).toEqual(
        [...Array(201).keys()].map((q) => ms(expected.histogram, q / 2)),
      );
      expect(held.latency.mean).toBe(Math.round(expected.histogram.mean / 10) / 100);
      // min and max: the bucket's (3 significant digits) when the extreme was recorded before
      const { min, max } = held.latency;
      expect(Math.abs(min - expected.histogram.minNonZeroValue / 1000)).toBeLessThanOrEqual(
        min / 1000 + 0.01,
      );
      expect(Math.abs(max - expected.histogram.maxValue / 1000)).toBeLessThanOrEqual(
        max / 1000 + 0.01,
      );
      expect(held.requests).toBe(expected.requests);
      expect(held.requests).toBeLessThan(whole[i]!.requests);
    }
    expect(hold!.total.requests).toBe(hold!.endpoints.reduce((sum, e) => sum + e.requests, 0));
  });
});

/** A small seeded generator: the same draws every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
