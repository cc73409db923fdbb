import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonReport } from '../../src/report/report-data.js';
import { DEMO_SERVER, ROOT, writeDemoConfig } from '../support/demo-stack.js';
import { processesMatching, processesWithEnv } from '../support/processes.js';
import { runNode } from '../support/run-node.js';

const BIN = path.join(ROOT, 'bin', 'loadgate.js');

/** A demo config whose ramp would run for a minute: something must stop it. */
async function longRun(extra = '') {
  const demo = await writeDemoConfig();
  writeFileSync(
    demo.file,
    `target: http://127.0.0.1:${demo.port}
stack:
  start: node ${JSON.stringify(DEMO_SERVER)}
  env: { PORT: "${demo.port}", LOADGATE_TEST_MARK: "${demo.dir}" }
  ready: http://127.0.0.1:${demo.port}/health
scenario:
  tasks: [ { request: { url: /health } } ]
  think: 50ms
stages:
  smoke: { iterations: 2 }
  ramp: { users: 5, spawn-rate: 50, duration: 60s }
${extra}`,
  );
  return { ...demo, report: path.join(demo.dir, 'report.json') };
}

describe('bounded runs', () => {
  it('max-duration stops the run, tears the stack down and still writes the report', async () => {
    const demo = await longRun('max-duration: 2s\n');
    const run = await runNode(
      BIN,
      ['run', '--config', demo.file, '--json', demo.report, '--quiet'],
      {
        cwd: demo.dir,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    expect(run.code).toBe(1);
    const report = JSON.parse(readFileSync(demo.report, 'utf8')) as JsonReport;
    expect(report).toMatchObject({
      complete: false,
      verdict: 'fail',
      error: 'max-duration (2s) reached: the run was stopped',
      errorFact: { kind: 'stopped', stop: { kind: 'max-duration', ms: 2000 } },
    });
    expect(report.stages[1]).toMatchObject({ name: 'ramp', status: 'aborted' });
    expect(processesWithEnv('LOADGATE_TEST_MARK', demo.dir)).toEqual([]);
    expect(processesMatching(demo.file)).toEqual([]);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s stops the load, tears the stack down and writes the report',
    async (signal) => {
      const demo = await longRun();
      const child = spawn(
        process.execPath,
        [BIN, 'run', '--config', demo.file, '--json', demo.report],
        {
          cwd: demo.dir,
          env: { PATH: process.env.PATH, HOME: process.env.HOME },
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      let stderr = '';
      await new Promise<void>((resolve) => {
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes('[ramp] starting')) resolve();
        });
      });
      child.kill(signal);
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      const report = JSON.parse(readFileSync(demo.report, 'utf8')) as JsonReport;
      expect(report).toMatchObject({ complete: false, error: `loadgate received ${signal}` });
      expect(report.stages[1]?.status).toBe('aborted');
      expect(stderr).toContain('stack stopped');
      expect(processesWithEnv('LOADGATE_TEST_MARK', demo.dir)).toEqual([]);
      expect(processesMatching(demo.file)).toEqual([]);
    },
  );
});
