import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/report-data.js';
import { ROOT, writeDemoConfig } from '../support/demo-stack.js';
import { processesMatching, processesWithEnv } from '../support/processes.js';
import { runNode, runNodeInTerminal } from '../support/run-node.js';

const BIN = path.join(ROOT, 'bin', 'loadgate.js');

async function loadgate(args: string[], cwd: string, env: Record<string, string> = {}) {
  const run = await runNode(BIN, args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return run;
}

/** Runs the CLI in a pseudo-terminal: stdout and stderr are a TTY, as in a user's terminal. */
function loadgateInTerminal(args: string[], cwd: string, env: Record<string, string> = {}) {
  return runNodeInTerminal(BIN, args, {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TERM: 'xterm-256color', ...env },
  });
}

const ANSI = new RegExp(String.raw`\u001b\[[0-9;]*m`, 'g');

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

function readReport(file: string): JsonReport {
  return JSON.parse(readFileSync(file, 'utf8')) as JsonReport;
}

/** Every file the run wrote, plus what it printed: nothing may contain the secret. */
function expectNoSecret(dir: string, printed: string, secret: string) {
  expect(printed).not.toContain(secret);
  // loadgate.yml is the test's input (it hands the secret to the demo server), not an artifact
  for (const file of readdirSync(dir).filter((f) => f !== 'loadgate.yml')) {
    expect(readFileSync(path.join(dir, file), 'utf8'), file).not.toContain(secret);
  }
}

describe('npx loadgate run (the bundled CLI)', () => {
  it('passes on the demo API: smoke, then ramp, exit 0, JSON report, nothing left running', async () => {
    const demo = await writeDemoConfig();
    // a stack that prints its secret at boot: the log kept beside the report must not hold it
    writeFileSync(
      demo.file,
      readFileSync(demo.file, 'utf8').replace(
        'start: node ',
        'start: echo "booting with DEMO_PASSWORD=$DEMO_PASSWORD" && exec node ',
      ),
    );
    const report = path.join(demo.dir, 'report.json');
    const run = await loadgate(
      [
        'run',
        '--config',
        demo.file,
        '--json',
        report,
        '--markdown',
        path.join(demo.dir, 'report.md'),
      ],
      demo.dir,
      {
        LOADGATE_TEST_PASSWORD: demo.secret,
      },
    );
    expect(run.stderr).toContain('loadgate: pass (exit 0)');
    expect(run.code).toBe(0);
    const json = readReport(report);
    expect(json).toMatchObject({ schemaVersion: 1, verdict: 'pass', complete: true });
    expect(json.stages.map((s) => [s.name, s.status])).toEqual([
      ['smoke', 'completed'],
      ['ramp', 'completed'],
    ]);
    expect(json.stages[0]?.total.requests).toBe(1 + 3); // setup login + 3 iterations
    expect(json.stages[1]?.peakUsers).toBe(10);
    expect(json.stages[1]?.endpoints.map((e) => e.name).sort()).toEqual([
      'GET /items',
      'GET /items/[id]',
      'POST /token',
    ]);
    // piped (not a terminal): the markdown report
    expect(run.stdout).toContain('## ✅ loadgate: PASS');
    expect(readFileSync(path.join(demo.dir, 'report.md'), 'utf8')).toBe(run.stdout);
    expect(json.stack?.logTail.join('\n')).toContain(
      `demo API listening on http://127.0.0.1:${demo.port}`,
    );
    const log = readFileSync(path.join(demo.dir, 'loadgate-stack.log'), 'utf8');
    expect(log).toContain('booting with DEMO_PASSWORD=[REDACTED]');
    expect(log).toContain(`demo API listening on http://127.0.0.1:${demo.port}`);
    expectNoSecret(demo.dir, run.stdout + run.stderr, demo.secret);
    expect(processesMatching(demo.file)).toEqual([]);
    expect(processesWithEnv('LOADGATE_TEST_MARK', demo.dir)).toEqual([]);
  });

  it("stops at the smoke stage on the seed's mistake and reports the 422, its body and the cause", async () => {
    const demo = await writeDemoConfig({ loginAs: 'json' });
    const report = path.join(demo.dir, 'report.json');
    const run = await loadgate(['run', '--config', demo.file, '--json', report], demo.dir, {
      LOADGATE_TEST_PASSWORD: demo.secret,
    });
    expect(run.code).toBe(1);
    const json = readReport(report);
    expect(json.verdict).toBe('fail');
    expect(json.reason).toBe('smoke-failed');
    expect(json.headline).toBe('Smoke stage failed: POST /token returned 422 for every request');
    expect(json.stages[1]).toMatchObject({ name: 'ramp', status: 'skipped' });
    expect(json.stages[1]?.total.requests).toBe(0);
    expect(json.findings[0]?.id).toBe('auth.request-format');
    // the refused login, re-sent once as form data while the stack ran: the cause is confirmed
    expect(json.probes).toEqual([
      {
        stepPath: 'scenario.setup[0]',
        endpoint: 'POST /token',
        hypothesis: { kind: 'body', body: 'form' },
        status: 200,
        confirmed: true,
      },
    ]);
    expect(json.findings[0]?.evidence).toContain(
      'confirmed by a probe: the same request sent as form data answered 200',
    );
    // the demo API publishes no /openapi.json: the run is as before, without an openapi part
    expect(json.openapi).toBeUndefined();
    expect(run.stdout).toContain('HTTP 422');
    expect(run.stdout).toContain('"loc":["body","username"]');
    expect(run.stdout).toContain('replace `json:` with `form:`');
    expectNoSecret(demo.dir, run.stdout + run.stderr, demo.secret);
  });

  it('diagnose.probes: false sends no probe, and the cause is read, not confirmed', async () => {
    const demo = await writeDemoConfig({ loginAs: 'json', extra: 'diagnose: { probes: false }\n' });
    const report = path.join(demo.dir, 'report.json');
    await loadgate(['run', '--config', demo.file, '--json', report], demo.dir, {
      LOADGATE_TEST_PASSWORD: demo.secret,
    });
    const json = readReport(report);
    expect(json.findings[0]?.id).toBe('auth.request-format');
    expect(json.probes).toBeUndefined();
    expect(json.findings[0]?.evidence.join('\n')).not.toContain('probe');
  });

  it('exits 2 with the log tail when the stack never becomes ready, and still writes the report', async () => {
    const demo = await writeDemoConfig({});
    writeFileSync(
      demo.file,
      readFileSync(demo.file, 'utf8')
        .replace(/start: .*/, 'start: echo "connecting to db..."; sleep 30')
        .replace('ready-timeout: 15s', 'ready-timeout: 1s'),
    );
    const report = path.join(demo.dir, 'report.json');
    const run = await loadgate(['run', '--config', demo.file, '--json', report], demo.dir, {
      LOADGATE_TEST_PASSWORD: demo.secret,
    });
    expect(run.code).toBe(2);
    const json = readReport(report);
    expect(json).toMatchObject({ verdict: 'fail', complete: false });
    expect(json.error).toMatch(/^stack not ready: not ready after 1s/);
    expect(json.stack?.logTail).toEqual(['connecting to db...']);
    expect(json.findings[0]?.id).toBe('stack.not-ready');
    expect(run.stdout).toContain('connecting to db...');
    expect(processesMatching('connecting to db')).toEqual([]);
  });

  it('exits 2 on a bad config before anything boots, naming the key', async () => {
    const demo = await writeDemoConfig({ extra: 'stak: {}\n' });
    const report = path.join(demo.dir, 'report.json');
    const run = await loadgate(
      ['run', '--config', demo.file, '--json', report, '--users=-3'],
      demo.dir,
      { LOADGATE_TEST_PASSWORD: 'x' },
    );
    expect(run.code).toBe(2);
    // piped: the markdown report says it, once (not the log, the headline and a quote)
    const printed = run.stdout + run.stderr;
    expect(occurrences(printed, '`stak`: unknown key (did you mean `stack`?)')).toBe(1);
    expect(
      occurrences(printed, '--users (`stages.ramp.users`): got -3, expected a positive integer'),
    ).toBe(1);
    expect(run.stdout).toMatch(/^## ❌ loadgate: FAIL — .*invalid config/);
    expect(readReport(report)).toMatchObject({
      verdict: 'fail',
      complete: false,
      error: expect.stringContaining('invalid config'),
    });
    expect(readdirSync(demo.dir)).not.toContain('loadgate-stack.log');
  });

  it('prints a config error once on a terminal, and once on stderr with --format json', async () => {
    const demo = await writeDemoConfig({ extra: 'stak: {}\n' });
    const error = '`stak`: unknown key (did you mean `stack`?)';
    const args = ['run', '--config', demo.file, '--json', path.join(demo.dir, 'r.json')];

    const terminal = await loadgateInTerminal(args, demo.dir, { NO_COLOR: '1' });
    expect(terminal.code).toBe(2);
    expect(occurrences(terminal.stdout, error)).toBe(1);
    expect(terminal.stdout).toContain(
      `✖ loadgate: FAIL — ${demo.file}: invalid config\n  - ${error}\n`,
    );

    const json = await loadgate([...args, '--format', 'json'], demo.dir);
    expect(json.code).toBe(2);
    expect(occurrences(json.stderr, error)).toBe(1);
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report).toMatchObject({ verdict: 'fail', reason: 'config', complete: false });
    expect(report.error).toContain(error);
    expect(report).toEqual(readReport(path.join(demo.dir, 'r.json')));
  });

  it('on a terminal prints the terminal report, coloured unless NO_COLOR; --format forces one', async () => {
    const demo = await writeDemoConfig();
    const report = path.join(demo.dir, 'report.json');
    const args = ['run', '--config', demo.file, '--json', report, '--quiet'];
    const env = { LOADGATE_TEST_PASSWORD: demo.secret };

    const run = await loadgateInTerminal(args, demo.dir, env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('\u001b[32m');
    const text = run.stdout.replace(ANSI, '');
    expect(text).toMatch(/^✔ loadgate: PASS — All 2 thresholds passed/m);
    expect(text).toMatch(/^Stage smoke: completed · Users: 1 · Duration: \d+\.\d s$/m);
    expect(text).toMatch(/^Stage ramp: completed · Users: 10 · Duration: \d+\.\d s$/m);
    expect(text).toMatch(
      /^Endpoint +Requests +Failures +Median \(ms\) +p95 \(ms\) +p99 \(ms\) +Average \(ms\) +RPS$/m,
    );
    const json = readReport(report);
    const ramp = json.stages[1];
    for (const e of ramp?.endpoints ?? []) {
      expect(text).toMatch(
        new RegExp(`^${e.name.replace(/[[\]/]/g, '\\$&')} +${e.requests} +0 \\(0%\\) `, 'm'),
      );
    }
    expect(text).toMatch(/^failure-rate +< 1% +0 % +PASS$/m);
    expect(text).toMatch(/^p95 +< 2s +[\d.]+ ms +PASS$/m);
    expect(text).not.toMatch(/\| ?---|\*\*|<details>|&lt;|^## /m);
    expect(text).toContain(`loadgate: pass (exit 0) · report: ${report}`);

    const plain = await loadgateInTerminal(args, demo.dir, { ...env, NO_COLOR: '1' });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^✔ loadgate: PASS — /m);
    expect(plain.stdout).not.toContain('\u001b[');

    const markdown = await loadgateInTerminal([...args, '--format', 'markdown'], demo.dir, env);
    expect(markdown.stdout).toMatch(/^## ✅ loadgate: PASS — /m);
    expect(markdown.stdout).toContain('| --- |');
  });

  it('exits 2 on a bad --format, naming the flag, the value and the choices', async () => {
    const run = await loadgate(['run', '--format', 'html'], ROOT);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'loadgate: --format: got "html", expected one of terminal, markdown, json\n',
    );
    expect(run.stdout).toBe('');
  });

  it('exits 2 on an unknown flag or command, with the usage', async () => {
    const run = await loadgate(['launch'], ROOT);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('expected the command `run` or `init`');
    expect(run.stderr).toContain('Usage: loadgate run');
  });

  it('exits 2 when the target port is already taken before the stack starts (a stale server)', async () => {
    const demo = await writeDemoConfig();
    const stale = net.createServer((socket) => socket.end()).listen(demo.port, '127.0.0.1');
    await new Promise((r) => stale.once('listening', r));
    try {
      const report = path.join(demo.dir, 'report.json');
      const run = await loadgate(['run', '--config', demo.file, '--json', report], demo.dir, {
        LOADGATE_TEST_PASSWORD: demo.secret,
      });
      expect(run.code).toBe(2);
      const json = readReport(report);
      expect(json.findings[0]?.id).toBe('stack.port-in-use');
      expect(json.error).toContain(`port ${demo.port} of the target is already in use`);
      expect(processesMatching(demo.file)).toEqual([]);
    } finally {
      await new Promise((r) => stale.close(r));
    }
  });

  it('stops the run at once when the stack crashes mid-ramp, and says so with the log tail', async () => {
    const demo = await writeDemoConfig();
    writeFileSync(
      demo.file,
      `target: http://127.0.0.1:${demo.port}
stack:
  start: node ${JSON.stringify(path.join(ROOT, 'test', 'fixtures', 'crashy-server.mjs'))}
  env: { PORT: "${demo.port}", CRASH_AFTER: "60" }
  ready: http://127.0.0.1:${demo.port}/health
scenario:
  tasks:
    - request: { url: /work }
stages:
  smoke: { iterations: 3 }
  ramp: { users: 10, spawn-rate: 20, duration: 60s }
`,
    );
    const report = path.join(demo.dir, 'report.json');
    const run = await loadgate(['run', '--config', demo.file, '--json', report], demo.dir);
    expect(run.code).toBe(1);
    const json = readReport(report);
    expect(json.stages[1]).toMatchObject({
      name: 'ramp',
      status: 'aborted',
      reason: 'the stack exited (exit code 3) during the run',
    });
    expect(json.stack?.exit).toMatchObject({ code: 3, signal: null });
    // as facts too: a French report words them
    expect(json.stages[1]?.reasonFact).toEqual({
      kind: 'stopped',
      stop: { kind: 'stack-exited', code: 3, signal: null },
    });
    expect(json.errorFact).toEqual(json.stages[1]?.reasonFact);
    expect(json.findings[0]?.id).toBe('stack.crashed');
    const evidence = json.findings[0]?.evidence.join('\n');
    expect(evidence).toMatch(/exit code 3\) .* during the ramp stage, with \d+ users/);
    expect(evidence).toContain('FATAL: out of memory after 60 requests, crashing');
    expect(processesMatching(demo.file)).toEqual([]);
  });

  it('compares with a baseline report: the same stack passes, a slower one fails as a regression', async () => {
    // a 50 ms floor: this machine runs other tests in parallel, and a few ms of p95 are noise here
    const floor = '  regression: { p95: { absolute: 50ms } }\n'; // under thresholds:
    const base = await writeDemoConfig({ extra: floor });
    const baseReport = path.join(base.dir, 'base.json');
    const env = { LOADGATE_TEST_PASSWORD: base.secret, GITHUB_SHA: 'c0ffee'.padEnd(40, '0') };
    expect(
      (
        await loadgate(
          ['run', '--config', base.file, '--json', baseReport, '--quiet'],
          base.dir,
          env,
        )
      ).code,
    ).toBe(0);

    const same = await loadgate(
      [
        'run',
        '--config',
        base.file,
        '--json',
        path.join(base.dir, 'same.json'),
        '--baseline',
        baseReport,
        '--quiet',
      ],
      base.dir,
      env,
    );
    expect(same.code).toBe(0);
    expect(readReport(path.join(base.dir, 'same.json'))).toMatchObject({
      verdict: 'pass',
      regressions: 0,
      baseline: { commit: env.GITHUB_SHA },
    });

    const slow = await writeDemoConfig({ delayMs: 150, extra: floor });
    const slowReport = path.join(slow.dir, 'report.json');
    const run = await loadgate(
      ['run', '--config', slow.file, '--json', slowReport, '--baseline', baseReport, '--quiet'],
      slow.dir,
      env,
    );
    expect(run.code).toBe(1);
    const json = readReport(slowReport);
    expect(json.verdict).toBe('fail');
    expect(json.regressions).toBeGreaterThanOrEqual(1);
    expect(json.thresholds).toContainEqual(
      expect.objectContaining({
        kind: 'regression',
        metric: 'p95',
        scope: 'GET /items',
        status: 'fail',
      }),
    );
    expect(json.findings[0]?.id).toBe('latency.regression');
    expect(run.stdout).toContain('Compared with the baseline `c0ffee0`');
  });

  it('fails the gate on a threshold written as k6 writes it, and names it in the report', async () => {
    const slow = await writeDemoConfig({ delayMs: 150 });
    writeFileSync(
      slow.file,
      readFileSync(slow.file, 'utf8').replace('p95: "< 2s"', 'p95: "p(95)<100"'),
    );
    const report = path.join(slow.dir, 'report.json');
    const run = await loadgate(['run', '--config', slow.file, '--json', report], slow.dir, {
      LOADGATE_TEST_PASSWORD: slow.secret,
    });
    expect(run.code).toBe(1);
    const json = readReport(report);
    expect(json.verdict).toBe('fail');
    expect(json.thresholds).toContainEqual(
      expect.objectContaining({
        metric: 'p95',
        scope: 'global',
        limit: 'p(95)<100',
        status: 'fail',
      }),
    );
    expect(run.stdout).toMatch(/^## ❌ loadgate: FAIL — .*p95 [\d.]+ms \(limit p\(95\)&lt;100\)$/m);
    expect(run.stdout).toMatch(/^\| p95 \| p\(95\)&lt;100 \| [\d.]+ ms \| ❌ fail \|$/m);
  });

  it('exits 2 when the baseline file does not exist, before anything boots', async () => {
    const demo = await writeDemoConfig();
    const run = await loadgate(
      [
        'run',
        '--config',
        demo.file,
        '--json',
        path.join(demo.dir, 'r.json'),
        '--baseline',
        'nope.json',
      ],
      demo.dir,
      {
        LOADGATE_TEST_PASSWORD: demo.secret,
      },
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(
      /`baseline-path`: file .*nope\.json not found, expected an earlier loadgate JSON report/,
    );
    expect(readdirSync(demo.dir)).not.toContain('loadgate-stack.log');
  });
});
