import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createEngine } from '../../src/engine/create-engine.js';
import { runPipeline } from '../../src/pipeline/pipeline.js';
import type { Logger } from '../../src/shared/logger.js';
import type { JsonReport } from '../../src/report/report-data.js';
import { SAMPLES_DIR, type ZooSample, type ZooSamples } from '../zoo/samples.js';
import { freePort, ROOT } from '../support/demo-stack.js';
import { bootApp, zooApps, type RunningApp } from '../zoo/apps.js';
import { scenarioOf, sessionCookie } from '../zoo/scenarios.js';
import { expectedOf, FAULTS, type Fault } from '../zoo/matrix.js';

/**
 * Framework × fault: each zoo app boots once, then each fault is one run of the whole pipeline
 * (in this process, built-in engine) against it, its stack log read with `stack.logs` from
 * where the run began. Asserts the top finding and the first action the evidence supports, and
 * nothing above Low on the healthy run. The README's "Diagnosis accuracy" table says the same
 * (scripts/diagnosis-table.ts, from test/zoo/matrix.ts).
 */

const FORWARD = path.join(ROOT, 'test', 'zoo', 'forward.mjs');

const quiet: Logger = {
  info: () => {},
  warning: () => {},
  error: () => {},
  debug: () => {},
  group: (_name, fn) => fn(),
  setSecret: () => {},
};

async function runCell(running: RunningApp, fault: Fault) {
  const dir = mkdtempSync(path.join(tmpdir(), `zoo-cell-${running.app.name}-${fault}-`));
  const configPath = path.join(dir, 'loadgate.yml');
  const port = await freePort();
  const scenario = scenarioOf(
    running.app,
    fault,
    fault === 'csrf' ? await sessionCookie(running) : undefined,
  );
  writeFileSync(
    configPath,
    stringify({
      target: `http://127.0.0.1:${port}`,
      stack: {
        // the app runs already (booted once for every fault): the stack is a forwarder to it,
        // and its log from now on
        start: `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(FORWARD)} ${port} ${new URL(running.url).port}`,
        logs: `tail -c +${running.logOffset() + 1} ${JSON.stringify(running.logFile)}`,
        ready: `http://127.0.0.1:${port}/health`,
      },
      scenario: { ...scenario, think: 'none' },
      stages: {
        smoke: { iterations: fault === 'rate-limit' ? 5 : 3 },
        ramp: { users: 2, 'spawn-rate': 4, duration: '1s' },
      },
      thresholds: { p95: '< 5s' },
    }),
  );
  const outcome = await runPipeline({
    configPath,
    overrides: [],
    reportPath: path.join(dir, 'report.json'),
    env: { PATH: process.env.PATH },
    logger: quiet,
    createEngine,
  });
  return outcome.report;
}

const apps = zooApps();
const running = new Map<string, RunningApp>();

/**
 * `ZOO_CAPTURE=1`: each app's refusals as the engine kept them (redacted) and the log lines of
 * each run are written to test/fixtures/zoo-samples/<app>.json, the classifier's test data
 * (`npm run zoo:capture`).
 */
const CAPTURE = process.env.ZOO_CAPTURE === '1';

function sampleOf(fault: Fault, report: JsonReport): ZooSample {
  const failed = report.stages
    .flatMap((s) => s.endpoints)
    .flatMap((e) => e.errors.map((g) => ({ endpoint: e.name, g })))[0];
  return {
    fault,
    ...(failed
      ? {
          endpoint: failed.endpoint,
          request: failed.g.sample.request,
          ...(failed.g.sample.response ? { response: failed.g.sample.response } : {}),
        }
      : {}),
    log: report.stack?.logTail ?? [],
  };
}

// every app boots at once (NestJS compiles, Django migrates): a failed boot fails its own tests
const booted = new Map<string, Promise<RunningApp>>();
beforeAll(() => {
  for (const app of apps) {
    const boot = bootApp(app);
    boot.catch(() => {}); // awaited, and so reported, by the app's tests
    booted.set(app.name, boot);
  }
});
afterAll(async () => {
  await Promise.all([...booted.values()].map((b) => b.then((r) => r.stop()).catch(() => {})));
});

describe.each(apps.map((app) => ({ app: app.name, zoo: app })))('$app', ({ zoo }) => {
  beforeAll(async () => {
    running.set(zoo.name, await (booted.get(zoo.name) as Promise<RunningApp>));
  }, 120_000);
  const captured: ZooSample[] = [];
  afterAll(async () => {
    await running.get(zoo.name)?.stop();
    if (CAPTURE && captured.length === FAULTS.length) {
      mkdirSync(SAMPLES_DIR, { recursive: true });
      const file: ZooSamples = { app: zoo.name, framework: zoo.framework, samples: captured };
      writeFileSync(
        path.join(SAMPLES_DIR, `${zoo.name}.json`),
        `${JSON.stringify(file, null, 2)}\n`,
      );
    }
  });

  it.each([...FAULTS])('%s', async (fault) => {
    const report = await runCell(running.get(zoo.name) as RunningApp, fault);
    if (CAPTURE) captured.push(sampleOf(fault, report));
    const expected = expectedOf(zoo.name, fault);
    const top = report.findings[0];
    const said = `${report.verdict}: ${report.findings.map((f) => `${f.id} (${f.priority})`).join(', ')}\n${report.plan[0]?.text ?? '(no plan)'}\n${top?.evidence.join('\n') ?? ''}`;
    if ('pass' in expected) {
      expect(report.verdict, said).toBe('pass');
      expect(
        report.findings.filter((f) => f.priority !== 'low').map((f) => f.id),
        said,
      ).toEqual([]);
      return;
    }
    expect(report.verdict, said).toBe('fail');
    expect(top?.id, said).toBe(expected.finding);
    expect(report.plan[0]?.text, said).toMatch(expected.action);
    if (expected.confirmed) {
      expect(
        top?.evidence.some((e) => e.startsWith('confirmed by a probe: ')),
        said,
      ).toBe(true);
    }
    if (fault === 'exception' || fault === 'db-locked') {
      // the cause is quoted from the framework's own log
      expect(
        top?.evidence.some((e) => e.startsWith('log: ')),
        said,
      ).toBe(true);
    }
  });
});
