import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { createBuiltinEngine } from '../../src/engine/builtin/builtin-engine.js';

// Targets that misbehave at the TCP/HTTP level, served raw on 127.0.0.1: every run must end by
// itself, count the failures, and describe them.
const sockets = new Set<net.Socket>();
const servers: net.Server[] = [];
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function rawServer(onRequest: (socket: net.Socket) => void): Promise<string> {
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let seen = '';
    socket.on('data', (chunk) => {
      seen += chunk.toString('latin1');
      if (seen.includes('\r\n\r\n')) {
        seen = '';
        onRequest(socket);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

async function hit(target: string, timeout = '1s', iterations = 2) {
  return createBuiltinEngine().runStage(
    { name: 'smoke', users: 1, iterations },
    {
      target,
      env: {},
      scenario: configSchema.parse({
        target,
        scenario: { tasks: [{ request: { url: '/', timeout } }] },
      }).scenario,
    },
  );
}

const head = (status: number, headers: Record<string, string | number>) =>
  `HTTP/1.1 ${status} X\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

describe('hostile targets', () => {
  it('a server that accepts and never answers: timeouts are counted and the stage ends', async () => {
    const stage = await hit(await rawServer(() => {}), '400ms');
    expect(stage.total).toMatchObject({ requests: 2, failures: 2, statusCodes: { '0': 2 } });
    expect(stage.total.errors[0]?.message).toBe('timeout after 0.4s');
  });

  it('a server that resets the connection', async () => {
    const stage = await hit(await rawServer((socket) => socket.resetAndDestroy()));
    expect(stage.total.failures).toBe(2);
    expect(stage.total.errors[0]?.message).toMatch(/ECONNRESET|UND_ERR_SOCKET|closed/);
  });

  it('invalid HTTP', async () => {
    const stage = await hit(await rawServer((socket) => socket.end('HELLO THERE\r\n\r\n')));
    expect(stage.total.failures).toBe(2);
    expect(stage.total.errors[0]?.message).toMatch(/HPE_|invalid HTTP|Parse Error|closed/i);
  });

  it('a body cut short', async () => {
    const stage = await hit(
      await rawServer((socket) => socket.end(`${head(200, { 'content-length': 1000 })}only ten b`)),
    );
    expect(stage.total.failures).toBe(2);
    expect(stage.total.errors[0]?.message).toMatch(/closed|UND_ERR|ECONNRESET/);
  });

  it('slow bytes (a body that trickles forever) hit the whole-request timeout', async () => {
    const target = await rawServer((socket) => {
      socket.write(head(200, { 'transfer-encoding': 'chunked' }));
      const drip = setInterval(() => socket.write('1\r\nx\r\n'), 100);
      socket.on('close', () => clearInterval(drip));
    });
    const stage = await hit(target, '800ms', 1);
    expect(stage.total.errors[0]?.message).toBe('timeout after 0.8s (HTTP 200, body incomplete)');
  });

  it('a 50 MB body is counted, not buffered; a failing one keeps a 2 KiB sample', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 'a');
    const ok = await hit(
      await rawServer((socket) =>
        socket.write(
          Buffer.concat([Buffer.from(head(200, { 'content-length': big.length })), big]),
        ),
      ),
      '10s',
      1,
    );
    expect(ok.total).toMatchObject({ requests: 1, failures: 0, bytesReceived: big.length });
    const failing = await hit(
      await rawServer((socket) =>
        socket.write(
          Buffer.concat([Buffer.from(head(500, { 'content-length': big.length })), big]),
        ),
      ),
      '10s',
      1,
    );
    const sample = failing.total.errors[0]?.sample.response;
    expect(sample?.body.length).toBe(2048);
    expect(sample?.truncated).toBe(true);
  });

  it('a redirect loop is not followed: the 302s are counted as they are', async () => {
    const stage = await hit(
      await rawServer((socket) => socket.write(head(302, { location: '/', 'content-length': 0 }))),
    );
    expect(stage.total.statusCodes).toEqual({ '302': 2 });
  });
});
