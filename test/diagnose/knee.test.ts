import { describe, expect, it } from 'vitest';
import { findKnee, servedAtOnce } from '../../src/diagnose/knee.js';
import type { TimelinePoint } from '../../src/model/run-result.js';

/** [users, rps, p95, p50?] per second. */
const timeline = (rows: readonly (readonly number[])[]): TimelinePoint[] =>
  rows.map(([users = 0, rps = 0, p95 = 0, p50], i) => ({
    second: i + 1,
    users,
    rps,
    failuresPerSecond: 0,
    p50: p50 ?? p95 / 2,
    p95,
  }));

describe('findKnee', () => {
  it.each([
    {
      what: 'a single-threaded CPU-bound API with think time: flat from 10 users on',
      rows: [
        [1, 43, 4, 3],
        [5, 215, 6],
        [10, 330, 16],
        [15, 331, 48],
        [20, 330, 63],
        [20, 329, 64],
      ],
      limit: 20,
      expected: {
        kneeUsers: 10,
        kneeRps: 330,
        kneeSecond: 3,
        peakRps: 330,
        maxUsers: 20,
        p95Early: 4,
        p95Late: 63.5,
        p50Early: 3,
        capacityUsers: 10,
      },
    },
    {
      what: 'a single-slot queue of 50 ms: 20 requests/s whatever the users',
      rows: [
        [2, 19, 100, 52],
        [4, 20, 200],
        [6, 20, 300],
        [8, 20, 400],
        [8, 20, 400],
      ],
      limit: 150,
      expected: { kneeUsers: 2, peakRps: 20, maxUsers: 8, p50Early: 52, capacityUsers: 2 },
    },
    {
      what: 'a CPU-bound API on a busy machine: noisy seconds, no best second decides',
      rows: [
        [5, 48, 58.21],
        [9, 55, 239.62],
        [13, 40, 433.92],
        [17, 64, 445.44],
        [20, 65, 450.82],
        [19, 64, 536.06],
      ],
      limit: 30,
      expected: { kneeUsers: 9, kneeRps: 55, peakRps: 64, maxUsers: 20, p95Early: 58.21 },
    },
    {
      what: 'a fast second near the end does not move the plateau',
      rows: [
        [5, 63, 40.93],
        [9, 83, 109.06],
        [13, 67, 407.55],
        [17, 76, 317.7],
        [20, 105, 305.92],
        [18, 97, 309.5],
      ],
      limit: 30,
      expected: { kneeUsers: 9, kneeRps: 83, peakRps: 97, maxUsers: 20 },
    },
    {
      what: 'no limit given: no capacity users',
      rows: [
        [10, 400, 5],
        [20, 600, 8],
        [30, 640, 20],
        [40, 650, 45],
        [50, 645, 60],
        [60, 650, 80],
      ],
      limit: undefined,
      expected: { kneeUsers: 20, peakRps: 650, maxUsers: 60 },
    },
  ] as const)('$what', ({ rows, limit, expected }) => {
    const knee = findKnee(timeline(rows), limit);
    expect(knee).toMatchObject(expected);
    if (limit === undefined) expect(knee?.capacityUsers).toBeUndefined();
  });

  it.each([
    {
      what: 'throughput grows with the users',
      rows: [
        [10, 100, 5],
        [20, 200, 5],
        [30, 300, 6],
        [40, 400, 6],
      ],
    },
    {
      what: 'flat throughput but latency steady (the users think: no queue)',
      rows: [
        [10, 100, 5],
        [20, 100, 5],
        [30, 100, 6],
        [40, 100, 6],
      ],
    },
    {
      what: 'every user started in the first second: no plateau to see',
      rows: [
        [40, 300, 5],
        [40, 320, 30],
        [40, 330, 40],
        [40, 320, 40],
      ],
    },
    {
      what: 'too few seconds to tell',
      rows: [
        [10, 100, 5],
        [20, 100, 50],
        [30, 100, 90],
      ],
    },
  ] as const)('no knee: $what', ({ rows }) => {
    expect(findKnee(timeline(rows), 30)).toBeUndefined();
  });
});

describe('servedAtOnce', () => {
  it.each([
    { rps: 20, ms: 50, expected: 1 },
    { rps: 330, ms: 3, expected: 1 },
    { rps: 100, ms: 50, expected: 5 },
    { rps: 5, ms: 1, expected: 1 },
  ])('$rps/s × $ms ms → $expected', ({ rps, ms, expected }) => {
    expect(servedAtOnce(rps, ms)).toBe(expected);
  });
});
