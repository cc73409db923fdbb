import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NODE24 } from '../support/action-runner.js';
import { freePort, ROOT } from '../support/demo-stack.js';

/** The zoo's folder: one app per framework (see README.md beside this file). */
export const ZOO_DIR = path.join(ROOT, 'test', 'zoo');

/** The HS256 key the zoo's JWT apps sign and verify with. */
export const ZOO_JWT_SECRET = 'zoo-secret-0123456789abcdef0123456789';

/** An app's `zoo.json`. */
export interface ZooApp {
  name: string;
  framework: string;
  language: string;
  start: string[];
  /** The scheme its auth library reads (`Bearer`, DRF's `Token`). */
  scheme: string;
  csrf: string;
  notes: Record<string, string>;
  dir: string;
}

/** Every app of the zoo, by name. */
export function zooApps(): ZooApp[] {
  return readdirSync(ZOO_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const dir = path.join(ZOO_DIR, e.name);
      try {
        const manifest = JSON.parse(readFileSync(path.join(dir, 'zoo.json'), 'utf8')) as ZooApp;
        return [{ ...manifest, dir }];
      } catch {
        return [];
      }
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** A zoo app running on 127.0.0.1, its output in `logFile`. */
export interface RunningApp {
  app: ZooApp;
  url: string;
  logFile: string;
  /** The log's size now: where the next request's lines begin. */
  logOffset(): number;
  stop(): Promise<void>;
}

/** Starts an app in a process group of its own and waits for its `/health`. */
export async function bootApp(app: ZooApp, timeoutMs = 45_000): Promise<RunningApp> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), `zoo-${app.name}-`));
  const logFile = path.join(dataDir, 'app.log');
  const out = openSync(logFile, 'a');
  const argv = app.start.map((a) => a.replace('{dir}', app.dir).replace('{node24}', NODE24));
  const child: ChildProcess = spawn(argv[0] as string, argv.slice(1), {
    cwd: app.dir,
    // as a user's stack runs: not in the test runner's NODE_ENV=test (Express logs no error there)
    env: {
      ...Object.fromEntries(
        Object.entries(process.env).filter(([k]) => k !== 'NODE_ENV' && !k.startsWith('VITEST')),
      ),
      PORT: String(port),
      ZOO_DATA_DIR: dataDir,
      ZOO_JWT_SECRET,
    },
    stdio: ['ignore', out, out],
    detached: true,
  });
  closeSync(out);
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `exited (${signal ?? code})`));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-(child.pid as number), 'SIGTERM');
    } catch {
      return;
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // gone
      }
    }, 5_000);
    await gone;
    clearTimeout(killer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) break;
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (exited || Date.now() > deadline) {
    await stop();
    const log = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(`${app.name}: not ready (${exited ?? 'timed out'})\n${log}`);
  }
  return { app, url, logFile, logOffset: () => statSync(logFile).size, stop };
}
