import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/config-schema.js';
import type { Config } from '../../../src/config/schema.js';
import { createBuiltinEngine } from '../../../src/engine/builtin/builtin-engine.js';
import {
  encodePath,
  headerNameProblem,
  headerValueProblem,
  pathProblem,
} from '../../../src/transport/request-fields.js';

/** A raw TCP server that answers every request head with 200 and records the bytes it got. */
async function recorder() {
  let received = '';
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffer = '';
    socket.on('data', (data) => {
      received += data.toString('latin1');
      buffer += data.toString('latin1');
      for (let end = buffer.indexOf('\r\n\r\n'); end >= 0; end = buffer.indexOf('\r\n\r\n')) {
        buffer = buffer.slice(end + 4);
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const port = (server.address() as net.AddressInfo).port;
  return { target: `http://127.0.0.1:${port}`, received: () => received };
}

const servers: net.Server[] = [];
const sockets = new Set<net.Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  for (const server of servers.splice(0)) await new Promise((r) => server.close(r));
});

const scenario = (raw: unknown): Config['scenario'] =>
  configSchema.parse({ target: 'http://x', scenario: raw }).scenario;

async function run(request: object, env: Record<string, string>) {
  const server = await recorder();
  const stage = await createBuiltinEngine().runStage(
    { name: 'smoke', users: 1, iterations: 1 },
    { target: server.target, env, scenario: scenario({ tasks: [{ request }] }) },
  );
  return { stage, received: server.received() };
}

describe('request head fields (refused before anything is sent, as undici and llhttp do)', () => {
  it.each<{ what: string; request: object; env: Record<string, string>; error: string }>([
    {
      what: 'a CR/LF in a templated header value',
      request: { url: '/a', headers: { 'X-User': '${env.USER_ID}' } },
      env: { USER_ID: 'bob\r\nX-Admin: 1' },
      error:
        '`scenario.tasks[0].request.headers.X-User`: the value holds a line break (CR/LF) after templating: refused, it would inject a header',
    },
    {
      what: 'a bare LF in a templated path',
      request: { url: '/users/${env.USER_ID}' },
      env: { USER_ID: 'bob\nHost: evil' },
      error:
        '`scenario.tasks[0].request.url`: the path holds a line break (CR/LF) after templating: refused, it would inject a header',
    },
    {
      what: 'a NUL in a templated header value',
      request: { url: '/a', headers: { 'X-User': 'id-${env.USER_ID}' } },
      env: { USER_ID: 'a\0b' },
      error:
        '`scenario.tasks[0].request.headers.X-User`: the value holds a NUL byte after templating: refused, servers truncate or reject it',
    },
    {
      what: 'a header value outside Latin-1',
      request: { url: '/a', headers: { 'X-Name': '${env.NAME}' } },
      env: { NAME: 'Zoë €' },
      error:
        '`scenario.tasks[0].request.headers.X-Name`: the value holds a character outside Latin-1 (above U+00FF) after templating: refused, a header value is bytes (undici refuses it too); percent-encode or base64-encode it',
    },
    {
      what: 'a header name that is not a token',
      request: { url: '/a', headers: { 'X User': '1' } },
      env: {},
      error:
        '`scenario.tasks[0].request.headers.X User`: the header name "X User" is not a valid token: refused, expected letters, digits and !#$%&\'*+-.^_`|~',
    },
    {
      what: 'a static CR/LF in a header value',
      request: { url: '/a', headers: { 'X-A': 'a\r\nX-B: 1' } },
      env: {},
      error:
        '`scenario.tasks[0].request.headers.X-A`: the value holds a line break (CR/LF): refused, it would inject a header',
    },
    {
      what: 'a CR/LF in the content-type of a raw body',
      request: { method: 'POST', url: '/a', body: 'x', 'content-type': 'text/plain\r\nX-A: 1' },
      env: {},
      error:
        '`scenario.tasks[0].request.content-type`: the value holds a line break (CR/LF): refused, it would inject a header',
    },
  ])('$what fails that request, named by step and field', async ({ request, env, error }) => {
    const { stage, received } = await run(request, env);
    expect(received).toBe(''); // nothing went out
    expect(stage.total.failures).toBe(1);
    expect(stage.total.errors[0]?.message).toBe(error);
  });

  it('percent-encodes a non-ASCII path as UTF-8 and sends a Latin-1 header value as its bytes', async () => {
    const { stage, received } = await run(
      { url: '/café/${env.CITY}', headers: { 'X-Name': '${env.NAME}' } },
      { CITY: 'Zürich €', NAME: 'Zoë' },
    );
    expect(stage.total.failures).toBe(0);
    expect(received).toMatch(/^GET \/caf%C3%A9\/Z%C3%BCrich%20%E2%82%AC HTTP\/1\.1\r\n/);
    expect(received).toContain('x-name: Zo\u00eb\r\n'); // one byte 0xEB, as undici sends it
  });

  it('templates the path and query of an absolute URL (not percent-encoded out of reach)', async () => {
    const server = await recorder();
    const stage = await createBuiltinEngine().runStage(
      { name: 'smoke', users: 1, iterations: 1 },
      {
        target: 'http://127.0.0.1:9',
        env: { USER_ID: '42', Q: 'a b' },
        scenario: scenario({
          tasks: [{ request: { url: `${server.target}/users/\${env.USER_ID}?q=\${env.Q}#top` } }],
        }),
      },
    );
    expect(stage.total.failures).toBe(0);
    expect(server.received()).toMatch(/^GET \/users\/42\?q=a%20b HTTP\/1\.1\r\n/);
  });

  it('refuses a placeholder in the host of an absolute URL, naming it', async () => {
    const { stage, received } = await run({ url: 'http://${env.HOST}/a' }, { HOST: 'x' });
    expect(received).toBe('');
    expect(stage.total.errors[0]?.message).toBe(
      'invalid URL http://${env.HOST}/a: placeholders are not supported in the host',
    );
  });
});

describe('request field checks (pure)', () => {
  it.each([
    ['/plain?x=1', '/plain?x=1'],
    ['/é', '/%C3%A9'],
    ['/a b', '/a%20b'],
    ['/a\tb', '/a\tb'], // controls are left to pathProblem
    ['/😀', '/%F0%9F%98%80'],
  ])('encodePath(%j) is %j', (path, encoded) => {
    expect(encodePath(path)).toBe(encoded);
  });

  it('names what is wrong', () => {
    expect(pathProblem('/a\tb', false)).toBe(
      'the path holds the control character U+0009: refused, expected printable characters',
    );
    expect(pathProblem('/a\x7f', true)).toMatch(/control character U\+007F after templating/);
    expect(pathProblem('/ok', true)).toBeUndefined();
    expect(headerNameProblem('X-Ok_1')).toBeUndefined();
    expect(headerNameProblem('X:A')).toMatch(/not a valid token/);
    expect(headerNameProblem('')).toMatch(/not a valid token/);
    expect(headerValueProblem('tab\tand é', true)).toBeUndefined();
    expect(headerValueProblem('a\rb', false)).toMatch(/line break/);
  });
});
