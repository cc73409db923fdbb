import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ROOT, writeDemoConfig } from '../support/demo-stack.js';
import { runNode } from '../support/run-node.js';

// The CLI from source (tsx), so the page tested is the one this checkout renders, bundled or not.
const TSX = path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const CLI = path.join(ROOT, 'src', 'cli-entry.ts');

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((bin) => {
  try {
    readFileSync(bin);
    return true;
  } catch {
    return false;
  }
});

/**
 * Debian's chromium, headless, with the network off: every host resolves to nothing and any
 * proxied request goes to a closed port; only loopback bypasses the proxy. Returns the DOM it
 * rendered and the console messages it logged (`--enable-logging=stderr` prints them as
 * `INFO:CONSOLE` lines, errors and CSP violations included).
 */
async function openInChromium(file: string): Promise<{ dom: string; console: string[] }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'loadgate-chromium-'));
  const { stdout, stderr } = await promisify(execFile)(
    CHROMIUM ?? 'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      `--user-data-dir=${profile}`,
      '--proxy-server=127.0.0.1:9',
      '--proxy-bypass-list=<-loopback>',
      '--host-resolver-rules=MAP * ~NOTFOUND',
      '--enable-logging=stderr',
      '--v=0',
      '--dump-dom',
      pathToFileURL(file).href,
    ],
    { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  return { dom: stdout, console: stderr.split('\n').filter((line) => /:CONSOLE[:(]/.test(line)) };
}

/** Every `<svg>` of a DOM with its width, height and the `d` of its paths. */
function svgs(dom: string) {
  return [...dom.matchAll(/<svg\b([^>]*)>([\s\S]*?)<\/svg>/g)].map((m) => ({
    label: /aria-label="([^"]*)"/.exec(m[1] as string)?.[1],
    width: Number(/\bwidth="(\d+)"/.exec(m[1] as string)?.[1]),
    height: Number(/\bheight="(\d+)"/.exec(m[1] as string)?.[1]),
    paths: [...(m[2] as string).matchAll(/<path d="([^"]*)"/g)].map((p) => p[1] as string),
  }));
}

describe.skipIf(!CHROMIUM && !process.env.CI)('the HTML report in a real browser', () => {
  it('a CLI run writes loadgate-report.html beside the JSON; offline, chromium renders its charts and logs nothing', async () => {
    // a stack that prints its secret at boot: the log tail shown in the page must not hold it
    const demo = await writeDemoConfig({ announceSecret: true });
    const run = await runNode(
      TSX,
      [CLI, 'run', '--config', demo.file, '--json', path.join(demo.dir, 'out', 'report.json')],
      {
        cwd: demo.dir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          LOADGATE_TEST_PASSWORD: demo.secret,
        },
      },
    );
    expect(run.stderr).toContain('loadgate: pass (exit 0)');
    const file = path.join(demo.dir, 'out', 'loadgate-report.html');
    expect(run.stderr).toContain(`HTML: ${file}`);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toContain(demo.secret);
    expect(html).toContain('booting with DEMO_PASSWORD=[REDACTED]');

    const page = await openInChromium(file);
    expect(page.console).toEqual([]);
    expect(page.dom).toContain('<h1>loadgate: PASS — ');
    const charts = svgs(page.dom);
    expect(charts.map((c) => c.label)).toEqual(
      expect.arrayContaining([
        'ramp: Users',
        'ramp: Requests and failures per second',
        'ramp: Response time',
        'CPU (percent of one core)',
        'Memory (MiB)',
      ]),
    );
    for (const chart of charts) {
      expect(chart.width, chart.label).toBe(640);
      expect(chart.height, chart.label).toBe(260);
      expect(chart.paths.length, chart.label).toBeGreaterThan(0);
      for (const d of chart.paths) {
        const numbers = d.match(/-?\d+(\.\d+)?/g)!.map(Number);
        expect(numbers.length, chart.label).toBeGreaterThanOrEqual(2);
        // every point inside the chart, none NaN
        expect(
          numbers.every((n) => n >= 0 && n <= 640),
          `${chart.label}: ${d}`,
        ).toBe(true);
      }
    }
    const response = charts.find((c) => c.label === 'ramp: Response time');
    expect(response?.paths).toHaveLength(3); // p50, p95, p99
  });

  it('the check sees what a page logs: a blocked remote image under the same policy', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-html-'));
    const file = path.join(dir, 'bad.html');
    writeFileSync(
      file,
      `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"></head><body><img src="https://example.invalid/x.png"></body></html>`,
    );
    const page = await openInChromium(file);
    expect(page.console.join('\n')).toContain('violates the following Content Security Policy');
  });
});
