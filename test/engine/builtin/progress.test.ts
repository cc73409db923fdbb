import { describe, expect, it } from 'vitest';
import { createProgressPrinter } from '../../../src/engine/builtin/progress.js';
import { emptyEndpoint } from '../../../src/engine/run-stages.js';
import type { EngineEvent } from '../../../src/engine/engine.js';

const events: EngineEvent[] = [
  { type: 'stage-start', stage: 'ramp', users: 300 },
  { type: 'tick', stage: 'ramp', second: 3, users: 150, requests: 1200, failures: 2, p95: 41.5 },
  {
    type: 'stage-end',
    stage: 'ramp',
    result: {
      name: 'ramp',
      status: 'completed',
      users: 300,
      peakUsers: 300,
      startedAt: '2026-11-24T00:00:00.000Z',
      durationMs: 60_250,
      endpoints: [],
      total: { ...emptyEndpoint('Aggregated', ''), requests: 9000, failures: 3 },
      timeline: [],
    },
  },
];

describe('the progress printer', () => {
  it('writes one line per event to the stream it is given', () => {
    let written = '';
    const print = createProgressPrinter({ stream: { write: (text: string) => (written += text) } });
    for (const event of events) print(event);
    expect(written).toBe(
      [
        '[ramp] starting: 300 users',
        '[ramp]   3s  users  150  rps   1200  failures/s    2  p95 41.5 ms',
        '[ramp] completed: 9000 requests, 3 failures, p95 0 ms in 60.3 s',
        '',
      ].join('\n'),
    );
  });

  it('or to a line writer', () => {
    const lines: string[] = [];
    createProgressPrinter({ write: (line) => lines.push(line) })(events[0]!);
    expect(lines).toEqual(['[ramp] starting: 300 users']);
  });
});
