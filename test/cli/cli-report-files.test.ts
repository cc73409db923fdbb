import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/cli.js';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    isTTY: false,
  });
  return { code, stdout, stderr };
}

describe('loadgate run: report files', () => {
  it.each([
    ['--html', '', 'loadgate: --html: got "", expected a file path (e.g. out/report.html)'],
    ['--html', 'out/', 'loadgate: --html: got "out/", expected a file path (e.g. out/report.html)'],
    ['--json', ' ', 'loadgate: --json: got " ", expected a file path (e.g. out/report.json)'],
    [
      '--markdown',
      'x/',
      'loadgate: --markdown: got "x/", expected a file path (e.g. out/report.md)',
    ],
  ])('%s %j is a usage error (exit 2) naming the flag', async (flag, value, message) => {
    const run = await cli(['run', `${flag}=${value}`]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`${message}\n`);
  });

  it('writes the HTML report beside the JSON, even when the config is bad', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-cli-'));
    const json = path.join(dir, 'out', 'report.json');
    const run = await cli(['run', '--config', path.join(dir, 'missing.yml'), '--json', json]);
    expect(run.code).toBe(2);
    const html = path.join(dir, 'out', 'loadgate-report.html');
    expect(run.stderr).toContain(`· report: ${json} · HTML: ${html}\n`);
    expect(readFileSync(html, 'utf8')).toContain('<h1>loadgate: FAIL — ');
  });

  it('a HTML report that cannot be written is a warning: the JSON and the exit code stand', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-cli-'));
    const json = path.join(dir, 'report.json');
    const taken = path.join(dir, 'taken.html');
    mkdirSync(taken); // a folder where the file should go
    const run = await cli([
      'run',
      '--config',
      path.join(dir, 'missing.yml'),
      '--json',
      json,
      '--html',
      taken,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`warning: could not write the HTML report to ${taken}: EISDIR`);
    expect(run.stderr).toContain(`· report: ${json}\n`);
    expect(existsSync(json)).toBe(true);
  });
});
