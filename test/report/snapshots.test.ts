import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { diagnose } from '../../src/diagnose/diagnose.js';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import type { RunResult } from '../../src/model/run-result.js';
import type { StackEvidence } from '../../src/model/stack-evidence.js';
import type { Locale } from '../../src/report/messages.js';
import { readUntrustedReport } from '../../src/report/read-report.js';
import { buildJsonReport } from '../../src/report/report-data.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { endpoint, run, seedFailure, stage } from '../support/run-result.js';

// Reviewed snapshots of the report for each kind of verdict: a change to what reviewers read
// shows up as a diff of these files (update with `npx vitest run -u` and read the diff).
const config = configSchema.parse({
  target: 'http://127.0.0.1:8000',
  scenario: {
    setup: [
      {
        name: 'POST /token',
        request: { method: 'POST', url: '/token', json: { username: 'demo', password: 'x' } },
      },
    ],
    tasks: [{ request: { url: '/items' } }],
  },
});

function render(
  result: RunResult | undefined,
  locale: Locale,
  options: { stack?: StackEvidence; error?: string; baseline?: RunResult } = {},
) {
  const gate =
    result &&
    evaluateGate(
      result,
      config.thresholds,
      options.baseline && {
        stages: options.baseline.stages,
        commit: 'b'.repeat(40),
        source: 'base.json',
      },
      locale,
    );
  const { findings, plan } = diagnose({ config, result, gate, stack: options.stack, locale });
  const report = buildJsonReport({
    version: '0.1.0',
    generatedAt: new Date(0),
    target: config.target,
    configDigest: 'd1g35t',
    commit: 'a'.repeat(40),
    environment: { cores: 2, node: 'v24.0.0' },
    result,
    gate,
    stack: options.stack,
    findings,
    plan,
    ...(options.error ? { error: options.error } : {}),
  });
  // a `mode: report` run reads this report back as untrusted input: nothing may be lost
  const json = JSON.stringify(report);
  expect(readUntrustedReport(json, 'report.json')).toEqual(JSON.parse(json));
  return renderMarkdown(report, { locale });
}

const healthy = (p95: number) => {
  const items = endpoint({
    name: 'GET /items',
    requests: 3000,
    latency: { min: 1, max: 80, mean: 20, p50: 18, p90: 40, p95, p99: 70 },
  });
  const token = endpoint({ name: 'POST /token', requests: 300 });
  return run([
    stage('smoke', [token, endpoint({ name: 'GET /items', requests: 5 })]),
    stage('ramp', [items, token]),
  ]);
};

describe('report snapshots', () => {
  it.each(['en', 'fr'] as const)('fail at the smoke stage: the seed case (%s)', async (locale) => {
    await expect(render(seedFailure(), locale)).toMatchFileSnapshot(
      `__snapshots__/fail-smoke.${locale}.md`,
    );
  });

  it('pass', async () => {
    await expect(render(healthy(50), 'en')).toMatchFileSnapshot('__snapshots__/pass.en.md');
  });

  it('fail on a threshold', async () => {
    await expect(render(healthy(750), 'en')).toMatchFileSnapshot(
      '__snapshots__/fail-threshold.en.md',
    );
  });

  it('fail on a regression against a baseline', async () => {
    await expect(render(healthy(200), 'en', { baseline: healthy(50) })).toMatchFileSnapshot(
      '__snapshots__/fail-regression.en.md',
    );
  });

  it('stack never ready', async () => {
    const stack: StackEvidence = {
      command: 'uvicorn app:app',
      started: true,
      ready: false,
      error:
        'not ready after 60s (stack.ready-timeout); last check: http://127.0.0.1:8000/health: ECONNREFUSED',
      logTail: [
        'INFO:     Started server process [42]',
        'ERROR:    [Errno 98] address already in use',
      ],
    };
    await expect(
      render(undefined, 'en', { stack, error: `stack not ready: ${stack.error}` }),
    ).toMatchFileSnapshot('__snapshots__/not-ready.en.md');
  });
});
