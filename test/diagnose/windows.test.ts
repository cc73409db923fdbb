import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { diagnose } from '../support/diagnose.js';
import { endBurst, linesInWindow } from '../../src/diagnose/windows.js';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import type { ErrorGroup, TimelinePoint } from '../../src/model/run-result.js';
import type { Locale } from '../../src/report/messages.js';
import { endpoint, run, stage } from '../support/run-result.js';

const STARTED = '2026-11-29T19:20:00.000Z';

/** [users, requests, failures] per second. */
const timeline = (rows: number[][]): TimelinePoint[] =>
  rows.map(([users = 0, rps = 0, failures = 0], i) => ({
    second: i + 1,
    users,
    rps,
    failuresPerSecond: failures,
    p50: 5,
    p95: 10,
  }));

const ramp = (rows: number[][], errors: ErrorGroup[] = []) => {
  const requests = rows.reduce((n, r) => n + (r[1] ?? 0), 0);
  const failures = rows.reduce((n, r) => n + (r[2] ?? 0), 0);
  return stage(
    'ramp',
    [
      endpoint({
        name: 'GET /items',
        requests,
        failures,
        statusCodes: { '200': requests - failures, ...(failures ? { '500': failures } : {}) },
        errors,
      }),
    ],
    { timeline: timeline(rows), startedAt: STARTED, durationMs: rows.length * 1000 },
  );
};

const COLLAPSE = [
  [5, 100, 0],
  [10, 200, 0],
  [15, 300, 1],
  [20, 300, 0],
  [25, 250, 240],
  [30, 200, 200],
  [30, 180, 180],
];

describe('endBurst', () => {
  it.each([
    {
      what: 'the last seconds fail entirely after a clean start',
      rows: COLLAPSE,
      expected: {
        fromSecond: 5,
        users: 25,
        seconds: 3,
        requests: 630,
        failures: 620,
        before: { requests: 900, failures: 1 },
        window: {
          fromMs: Date.parse('2026-11-29T19:20:04.000Z'),
          toMs: Date.parse('2026-11-29T19:20:07.000Z'),
        },
      },
    },
    {
      what: 'idle seconds at the very end (users stopped) are skipped',
      rows: [...COLLAPSE, [0, 0, 0]],
      expected: { fromSecond: 5, seconds: 3 },
    },
  ])('$what', ({ rows, expected }) => {
    expect(endBurst(ramp(rows))).toMatchObject(expected);
  });

  it.each([
    {
      what: 'a single failing second at the end',
      rows: [
        [5, 100, 0],
        [10, 200, 0],
        [10, 200, 0],
        [10, 200, 190],
      ],
    },
    {
      what: 'failures all along',
      rows: [
        [5, 100, 60],
        [10, 200, 120],
        [10, 200, 190],
        [10, 200, 190],
      ],
    },
    {
      what: 'a clean run',
      rows: [
        [5, 100, 0],
        [10, 200, 0],
        [10, 200, 0],
        [10, 200, 0],
      ],
    },
    {
      what: 'a few failures at the end, most requests fine',
      rows: [
        [5, 100, 0],
        [10, 200, 0],
        [10, 200, 20],
        [10, 200, 30],
      ],
    },
  ])('no burst: $what', ({ rows }) => {
    expect(endBurst(ramp(rows))).toBeUndefined();
  });
});

describe('linesInWindow', () => {
  const window = {
    fromMs: Date.parse('2026-11-29T19:20:04.000Z'),
    toMs: Date.parse('2026-11-29T19:20:07.000Z'),
  };
  it.each([
    {
      what: 'ISO-stamped lines, a traceback continuation kept with its line',
      clock: false,
      lines: [
        'app starting',
        '2026-11-29T19:19:58.100Z WARNING deprecated setting',
        '2026-11-29T19:20:05.300Z ERROR pool exhausted',
        '  at acquire (pool.js:10)',
        '2026-11-29T19:20:09.900Z INFO shutting down',
      ],
      expected: [
        'app starting',
        '2026-11-29T19:20:05.300Z ERROR pool exhausted',
        '  at acquire (pool.js:10)',
      ],
    },
    {
      what: "a container's log stamped HH:MM:SS by docker",
      clock: true,
      lines: ['19:19:50.120 booted', '19:20:03.500 warming up', '19:20:06.010 OOM soon'],
      expected: ['19:20:03.500 warming up', '19:20:06.010 OOM soon'],
    },
    {
      what: 'an app line that starts with a time of day is not placed (its zone is unknown)',
      clock: false,
      lines: ['19:19:50 local time line'],
      expected: ['19:19:50 local time line'],
    },
  ])('$what', ({ lines, clock, expected }) => {
    expect(linesInWindow(lines, window, { clock })).toEqual(expected);
  });
});

const config = configSchema.parse({
  target: 'http://127.0.0.1:8000',
  scenario: { tasks: [{ request: { url: '/items' } }] },
  thresholds: { 'failure-rate': '< 80%' },
});

function diagnoseRamp(rows: number[][], errors: ErrorGroup[], logTail: string[], locale?: Locale) {
  const smoke = stage('smoke', [endpoint({ name: 'GET /items', requests: 3 })]);
  const result = run([smoke, ramp(rows, errors)]);
  return diagnose({
    config,
    result,
    gate: evaluateGate(result, config.thresholds),
    stack: { command: 'x', started: true, ready: true, logTail },
    ...(locale ? { locale } : {}),
  });
}

const serverError: ErrorGroup = {
  message: 'HTTP 500',
  status: 500,
  count: 620,
  firstSecond: 2,
  sample: {
    request: { method: 'GET', url: 'http://127.0.0.1:8000/items', headers: {} },
    response: {
      status: 500,
      headers: { 'content-type': 'application/json' },
      body: '{"detail":"out of memory"}',
      truncated: false,
    },
  },
};
const LOG = [
  '2026-11-29T19:19:59.000Z ERROR cache warm-up failed (ignored)',
  '2026-11-29T19:20:04.400Z ERROR worker 3 out of memory',
];

describe('errors.collapse and when failures began', () => {
  it('a ramp whose last seconds fail is a collapse, not "40% failures"', () => {
    const { findings, plan } = diagnoseRamp(COLLAPSE, [serverError], LOG);
    expect(findings[0]).toMatchObject({
      id: 'errors.collapse',
      priority: 'high',
      title:
        'The API collapsed at the end of the ramp: its last 3 s failed 98.4% of requests, from 25 users on',
    });
    expect(findings[0]?.evidence).toEqual([
      'seconds 5 to 7 of the ramp (from 19:20:04 UTC, 25 users): 620 of 630 requests failed (98.4%)',
      'before that: 1 of 900 (0.1%); over the whole ramp: 40.6%',
      'log: 2026-11-29T19:20:04.400Z ERROR worker 3 out of memory',
    ]);
    expect(plan[0]?.text).toBe(
      'Find what ran out at 25 users — memory, connections, file descriptors, a pool, a crashed worker: read the stack log from 19:20:04 UTC on, then re-run the ramp up to that load',
    );
    // the 5xx finding says when they began, and shows the log of that window only
    const server = findings.find((f) => f.id === 'server.errors');
    expect(server?.evidence).toContain(
      'the first 500 came in second 3 of the ramp, with 15 users at 300 requests/s (19:20:02 UTC)',
    );
    expect(server?.evidence).toContain(
      'log: 2026-11-29T19:20:04.400Z ERROR worker 3 out of memory',
    );
    expect(server?.evidence.join('\n')).not.toContain('cache warm-up');
  });

  it('renders in French', () => {
    const { findings } = diagnoseRamp(COLLAPSE, [serverError], LOG, 'fr');
    expect(findings[0]?.title).toBe(
      'L’API s’est effondrée en fin de rampe : ses 3 dernières secondes ont échoué à 98.4%, à partir de 25 utilisateurs',
    );
    expect(findings[0]?.evidence[1]).toBe('avant : 1 sur 900 (0.1%) ; sur toute la rampe : 40.6%');
    expect(findings.find((f) => f.id === 'server.errors')?.evidence).toContain(
      'le premier 500 est arrivé à la seconde 3 de la rampe, avec 15 utilisateurs à 300 requêtes/s (19:20:02 UTC)',
    );
  });
});
