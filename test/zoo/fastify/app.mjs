// Diagnosis zoo: Fastify 5 (see ../README.md for the contract).
// Idiomatic Fastify: JSON-schema route validation, @fastify/jwt (request.jwtVerify() in an
// onRequest hook), @fastify/rate-limit, @fastify/cookie + @fastify/csrf-protection,
// @fastify/formbody registered only in /api/token's encapsulated plugin, and Fastify's default
// error handler (logger: true → pino JSON lines on stdout, errors with their stack).
// Run: ZOO_DATA_DIR=... ZOO_JWT_SECRET=... PORT=... node24 test/zoo/fastify/app.mjs
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import fastifyJwt from '@fastify/jwt';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';

const PORT = Number(process.env.PORT ?? 3000);
const DATA_DIR = process.env.ZOO_DATA_DIR ?? '.';
const SECRET = process.env.ZOO_JWT_SECRET ?? 'zoo-secret-0123456789abcdef0123456789';
const USERS = { demo: 'demo-password' };

// SQLite: one connection holds a write lock for the whole life of the process (never committed),
// the other one (busy timeout 100 ms) is the one /api/orders writes through.
const dbPath = join(DATA_DIR, 'fastify-orders.db');
const locker = new DatabaseSync(dbPath);
locker.exec(
  'CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, item TEXT, created_at TEXT)',
);
locker.exec('BEGIN EXCLUSIVE');
const db = new DatabaseSync(dbPath, { timeout: 100 });

const app = Fastify({ logger: true });
// Closing both connections on shutdown also keeps the locker referenced (an unreferenced
// DatabaseSync is garbage-collected, which closes it and releases the lock).
app.addHook('onClose', async () => {
  db.close();
  locker.close();
});

await app.register(fastifyJwt, { secret: SECRET, sign: { expiresIn: '1h' } });
await app.register(fastifyCookie);
await app.register(fastifyCsrf);
await app.register(fastifyRateLimit, { global: false });

const credentials = {
  type: 'object',
  required: ['username', 'password'],
  properties: { username: { type: 'string' }, password: { type: 'string' } },
};

// Happy path only: a wrong password is an error with a statusCode, serialized by Fastify.
function checkPassword({ username, password }) {
  if (USERS[username] !== password) {
    const err = new Error('Invalid username or password');
    err.statusCode = 401;
    throw err;
  }
}

app.get('/health', async () => ({ status: 'ok' }));
app.get('/api/fast', async () => ({ ok: true }));

app.post('/api/login', { schema: { body: credentials } }, async (request) => {
  checkPassword(request.body);
  return { token: app.jwt.sign({ sub: request.body.username }) };
});

// The OAuth2-style token endpoint reads form data: formbody is registered in this plugin's
// scope only, so the rest of the app (e.g. /api/login) keeps JSON as its only body parser.
app.register(async (scope) => {
  await scope.register(fastifyFormbody);
  scope.post('/api/token', { schema: { body: credentials } }, async (request) => {
    checkPassword(request.body);
    return { access_token: scope.jwt.sign({ sub: request.body.username }), token_type: 'bearer' };
  });
});

// Routes that need a JWT: verified by @fastify/jwt in an onRequest hook of their own scope.
app.register(async (scope) => {
  scope.addHook('onRequest', (request) => request.jwtVerify());
  scope.get('/api/items', async () => [
    { id: 1, name: 'item 1' },
    { id: 2, name: 'item 2' },
    { id: 3, name: 'item 3' },
  ]);
});

app.get('/api/csrf-token', async (request, reply) => ({ token: reply.generateCsrf() }));
app.post('/api/comments', { onRequest: app.csrfProtection }, async (request, reply) => {
  reply.code(201);
  return { id: 1, body: request.body ?? null };
});

app.get(
  '/api/limited',
  { config: { rateLimit: { max: 3, timeWindow: '1 minute' } } },
  async () => ({ ok: true }),
);

app.get('/api/boom', async (request) => {
  const settings = request.query.settings; // undefined: no such query parameter
  return { theme: settings.theme }; // TypeError, left to Fastify's default error handler
});

app.post('/api/orders', async (request, reply) => {
  const info = db
    .prepare('INSERT INTO orders (item, created_at) VALUES (?, ?)')
    .run('widget', new Date().toISOString());
  reply.code(201);
  return { id: Number(info.lastInsertRowid) };
});

app.get('/api/slow', async () => {
  await sleep(300);
  return { ok: true, slept_ms: 300 };
});

app.get('/api/cpu', async () => {
  const start = process.hrtime.bigint();
  let digest = 'zoo';
  while (process.hrtime.bigint() - start < 20_000_000n) {
    for (let i = 0; i < 100; i++) digest = createHash('sha256').update(digest).digest('hex');
  }
  return { ok: true, digest };
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.once(signal, () => app.close().then(() => process.exit(0)));
}

await app.listen({ host: '127.0.0.1', port: PORT });
