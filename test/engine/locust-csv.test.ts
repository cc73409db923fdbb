import { describe, expect, it } from 'vitest';
import { countStatus } from '../../src/diagnose/context.js';
import { SAMPLE_BYTES } from '../../src/engine/builtin/sample.js';
import { REDACTED } from '../../src/shared/secrets.js';
import { stageFromLocustCsv, type LocustEvidence } from '../../src/engine/locust/locust-csv.js';

// Locust 2.12's columns, in its order
const STATS = `Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
POST,/token,10,0,3,3.5,2,9,120,5,0,3,3,4,4,5,6,8,9,9,9,9
GET,/items,8,8,2,2.5,1,4,60,4,4,2,2,3,3,3,4,4,4,4,4,4
,Aggregated,18,8,3,3.1,1,9,93,9,4,3,3,3,4,4,5,8,9,9,9,9
`;
const FAILURES = `Method,Name,Error,Occurrences
GET,/items,"HTTPError('401 Client Error: Unauthorized for url: /items')",8
`;
const LONG = 'x'.repeat(5000);
const EVIDENCE: LocustEvidence = {
  statuses: [
    { method: 'POST', name: '/token', status: 200, count: 10 },
    { method: 'GET', name: '/items', status: 401, count: 8 },
  ],
  samples: [
    {
      method: 'GET',
      name: '/items',
      error: "HTTPError('401 Client Error: Unauthorized for url: /items')",
      errorClass: 'HTTPError',
      errorText: '401 Client Error',
      request: {
        method: 'GET',
        url: 'http://api/items',
        headers: { authorization: 'Bearer abc.def.ghi', 'content-type': 'application/json' },
        body: `{"password": "hunter22", "note": "${LONG}"}`,
      },
      response: {
        status: 401,
        headers: { 'content-type': 'application/json', 'set-cookie': 'session=s3cr3t' },
        body: '{"detail":"Could not validate credentials"}',
        truncated: false,
      },
    },
  ],
};

const stage = (evidence?: LocustEvidence, stats = STATS) =>
  stageFromLocustCsv({ stats, failures: FAILURES, history: '' }, 'http://api', 2000, evidence);

describe('Locust CSV + launcher evidence → stage statistics', () => {
  it('the timeline: one point per history row of the Aggregated line, p50, p95 and p99', () => {
    // Locust 2.12's stats_history columns, in its order
    const history = `Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size
1700000000,0,,Aggregated,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,0,0,0,0,0,0,0
1700000001,5,,Aggregated,12.5,0.5,3,3,4,4,5,6,8,9,10,10,10,13,1,3,3.1,1,10,93
1700000002,10,GET,/items,20,0,2,2,3,3,3,4,4,4,4,4,4,20,0,2,2,1,4,60
1700000002,10,,Aggregated,25,1,4,4,5,5,7,12,15,18,20,20,20,38,2,4,4.2,1,20,93
`;
    const { timeline } = stageFromLocustCsv(
      { stats: STATS, failures: FAILURES, history },
      'http://api',
      2000,
    );
    expect(timeline).toEqual([
      { second: 1, users: 5, rps: 12.5, failuresPerSecond: 0.5, p50: 3, p95: 6, p99: 9 },
      { second: 2, users: 10, rps: 25, failuresPerSecond: 1, p50: 4, p95: 12, p99: 18 },
    ]);
  });

  it('status codes are numeric keys, successes included (the rules read them)', () => {
    const { endpoints, total } = stage(EVIDENCE);
    const token = endpoints.find((e) => e.name === '/token')!;
    expect(token.statusCodes).toEqual({ '200': 10 });
    expect(endpoints.find((e) => e.name === '/items')?.statusCodes).toEqual({ '401': 8 });
    expect(total.statusCodes).toEqual({ '200': 10, '401': 8 });
    // what auth.token-rejected asks: did the login answer 2xx?
    expect(countStatus(token, (s) => s >= 200 && s < 300)).toBe(10);
  });

  it('without the evidence (a remote worker), no key that is not a status code', () => {
    const { endpoints, total } = stage(undefined);
    for (const stats of [...endpoints, total]) {
      for (const key of Object.keys(stats.statusCodes)) expect(key).toMatch(/^\d+$/);
    }
    expect(total.statusCodes).toEqual({ '401': 8 });
  });

  it('a failing exchange becomes a sample redacted and cut like the built-in engine’s', () => {
    const sample = stage(EVIDENCE).endpoints.find((e) => e.name === '/items')!.errors[0]!;
    expect(sample).toMatchObject({ message: 'HTTP 401', status: 401, count: 8 });
    expect(sample.sample.request).toMatchObject({
      method: 'GET',
      url: 'http://api/items',
      headers: { authorization: `Bearer ${REDACTED}`, 'content-type': 'application/json' },
    });
    expect(sample.sample.request.body).toContain(`"password": "${REDACTED}"`);
    expect(sample.sample.request.body).not.toContain('hunter22');
    expect(sample.sample.request.body?.length).toBe(SAMPLE_BYTES);
    expect(sample.sample.response).toEqual({
      status: 401,
      headers: { 'content-type': 'application/json', 'set-cookie': REDACTED },
      body: '{"detail":"Could not validate credentials"}',
      truncated: false,
    });
  });

  it('reads columns by their header name (a newer Locust may order or add them differently)', () => {
    const lines = STATS.trim()
      .split('\n')
      .map((l) => l.split(','));
    const order = [3, 2, 0, 1, ...Array.from({ length: lines[0]!.length - 4 }, (_, i) => i + 4)];
    const shuffled = `${lines.map((l) => [...order.map((i) => l[i]), 'extra'].join(',')).join('\n')}\n`;
    expect(stage(EVIDENCE, shuffled.replace(/^(.*),extra/, '$1,New Column'))).toEqual(
      stage(EVIDENCE),
    );
  });

  it('the per-second timeline, p50, p95 and p99 included, from the aggregated history rows', () => {
    // Locust 2.12's stats_history columns, in its order
    const history = `Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size
1700000000,5,,Aggregated,10.5,0,12,14,15,16,20,25,30,41,50,50,50,10,0,12,13,5,50,90
1700000000,5,GET,/items,10.5,0,12,14,15,16,20,25,30,41,50,50,50,10,0,12,13,5,50,90
1700000001,10,,Aggregated,20,1.5,13,14,15,16,21,28,33,47,60,60,60,30,2,13,14,5,60,90
`;
    const { timeline } = stageFromLocustCsv(
      { stats: STATS, failures: FAILURES, history },
      'http://api',
      2000,
      EVIDENCE,
    );
    expect(timeline).toEqual([
      { second: 1, users: 5, rps: 10.5, failuresPerSecond: 0, p50: 12, p95: 25, p99: 41 },
      { second: 2, users: 10, rps: 20, failuresPerSecond: 1.5, p50: 13, p95: 28, p99: 47 },
    ]);
  });
});
