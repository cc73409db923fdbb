import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEMO_SERVER = path.join(ROOT, 'examples', 'demo', 'server.mjs');

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Writes a loadgate.yml for the demo API on a free port into a fresh folder, small enough for
 * tests (a short ramp). `loginAs: 'json'` reproduces the seed's mistake.
 */
export async function writeDemoConfig(
  options: {
    loginAs?: 'form' | 'json';
    extra?: string;
    delayMs?: number;
    /** The stack prints its secret at boot: what is kept of its log must not hold it. */
    announceSecret?: boolean;
  } = {},
) {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-e2e-'));
  const body = options.loginAs === 'json' ? 'json' : 'form';
  const config = `target: http://127.0.0.1:${port}
stack:
  start: ${options.announceSecret ? 'echo "booting with DEMO_PASSWORD=$DEMO_PASSWORD" && exec ' : ''}node ${JSON.stringify(DEMO_SERVER)}
  env: { PORT: "${port}", DEMO_PASSWORD: "canary-Pa55word-e2e", RESPONSE_DELAY_MS: "${options.delayMs ?? 0}", LOADGATE_TEST_MARK: "${dir}" }
  ready: http://127.0.0.1:${port}/health
  ready-timeout: 15s
scenario:
  setup:
    - name: POST /token
      request:
        method: POST
        url: /token
        ${body}: { username: demo, password: "\${env.LOADGATE_TEST_PASSWORD}" }
      capture: { token: json.access_token }
      check: { status: 200 }
  tasks:
    - weight: 3
      request: { method: GET, url: /items, headers: { Authorization: "Bearer \${token}" } }
    - name: GET /items/[id]
      request: { method: GET, url: /items/7, headers: { Authorization: "Bearer \${token}" } }
stages:
  smoke: { users: 1, iterations: 3 }
  ramp: { users: 10, spawn-rate: 20, duration: 2s }
thresholds:
  failure-rate: "< 1%"
  p95: "< 2s"
${options.extra ?? ''}`;
  const file = path.join(dir, 'loadgate.yml');
  writeFileSync(file, config);
  return { dir, file, port, secret: 'canary-Pa55word-e2e' };
}
