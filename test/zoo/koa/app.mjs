// Diagnosis-zoo app: Koa 3, the way its docs and the koajs ecosystem show it.
//   @koa/bodyparser (json + form, global), @koa/router (+ allowedMethods), joi (login fields,
//   ctx.throw(400, error.message)), koa-jwt (Bearer tokens, its default errors), jsonwebtoken
//   (signing), koa-ratelimit (memory driver, 3/minute), koa-session + koa-csrf, Koa's default
//   error handling (500 + stack on stderr).
// Run: PORT=8080 ZOO_DATA_DIR=/tmp/x ZOO_JWT_SECRET=... node24 test/zoo/koa/app.mjs
// Contract: test/zoo/README.md.
import crypto from 'node:crypto';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';

import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import CSRF from 'koa-csrf';
import Joi from 'joi';
import jsonwebtoken from 'jsonwebtoken';
import Koa from 'koa';
import jwt from 'koa-jwt';
import ratelimit from 'koa-ratelimit';
import session from 'koa-session';

const PORT = Number(process.env.PORT ?? 3000);
const DATA_DIR = process.env.ZOO_DATA_DIR ?? '.';
const JWT_SECRET = process.env.ZOO_JWT_SECRET ?? 'dev-secret-change-me-0123456789abcdef';
const USERS = { demo: 'demo-password' };

// SQLite: one connection takes the write lock at boot and never commits; /api/orders writes
// through another connection whose busy timeout is 100 ms, so it fails with "database is locked".
const dbFile = path.join(DATA_DIR, 'koa-orders.sqlite');
const locker = new DatabaseSync(dbFile);
locker.exec(
  'CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, item TEXT, created_at TEXT)',
);
locker.exec('BEGIN EXCLUSIVE');
const db = new DatabaseSync(dbFile, { timeout: 100 });

const app = new Koa();
app.keys = [crypto.randomBytes(32).toString('hex')]; // signs koa-session's cookie
app.use(session(app));
app.use(bodyParser()); // enableTypes defaults to ['json', 'form']

const router = new Router();

const credentials = Joi.object({
  username: Joi.string().required(),
  password: Joi.string().required(),
});

const issueToken = (username) =>
  jsonwebtoken.sign({ sub: username }, JWT_SECRET, { algorithm: 'HS256', expiresIn: '1h' });

function checkCredentials(ctx) {
  const { error, value } = credentials.validate(ctx.request.body);
  if (error) ctx.throw(400, error.message);
  if (USERS[value.username] !== value.password) ctx.throw(401);
  return value.username;
}

// CSRF: koa-csrf on koa-session, as its README shows (route-level here: the API's other POSTs
// are called with tokens, not a session). Its refusal: ctx.throw(403, 'Invalid CSRF token').
const csrfProtection = new CSRF();

router.get('/health', (ctx) => {
  ctx.body = { status: 'ok' };
});

router.post('/api/login', (ctx) => {
  ctx.body = { token: issueToken(checkCredentials(ctx)) };
});

router.post('/api/token', (ctx) => {
  ctx.body = { access_token: issueToken(checkCredentials(ctx)), token_type: 'bearer' };
});

router.get('/api/items', jwt({ secret: JWT_SECRET }), (ctx) => {
  ctx.body = [1, 2, 3].map((id) => ({ id, name: `item ${id}` }));
});

router.get('/api/fast', (ctx) => {
  ctx.body = { ok: true };
});

router.get('/api/csrf-token', csrfProtection, (ctx) => {
  ctx.body = { csrfToken: ctx.state._csrf };
});

let commentId = 0;
router.post('/api/comments', csrfProtection, (ctx) => {
  ctx.status = 201;
  ctx.body = { id: ++commentId, comment: ctx.request.body };
});

// koa-ratelimit's memory driver, as its README shows, with 3 requests a minute.
const limiter = ratelimit({
  driver: 'memory',
  db: new Map(),
  duration: 60 * 1000,
  max: 3,
  id: (ctx) => ctx.ip,
});
router.get('/api/limited', limiter, (ctx) => {
  ctx.body = { ok: true };
});

// Unhandled TypeError (reading a key of a missing object): Koa's default error handling answers.
router.get('/api/boom', (ctx) => {
  const order = {};
  ctx.body = { customer: order.customer.name };
});

router.post('/api/orders', (ctx) => {
  const stmt = db.prepare('INSERT INTO orders (item, created_at) VALUES (?, ?)');
  const info = stmt.run('widget', new Date().toISOString());
  ctx.status = 201;
  ctx.body = { id: Number(info.lastInsertRowid) };
});

router.get('/api/slow', async (ctx) => {
  await sleep(300);
  ctx.body = { ok: true, slept_ms: 300 };
});

router.get('/api/cpu', (ctx) => {
  const end = performance.now() + 20;
  let digest = Buffer.alloc(32);
  let rounds = 0;
  while (performance.now() < end) {
    digest = crypto.createHash('sha256').update(digest).digest();
    rounds++;
  }
  ctx.body = { ok: true, rounds, digest: digest.toString('hex').slice(0, 16) };
});

app.use(router.routes()).use(router.allowedMethods());

const server = app.listen(PORT, '127.0.0.1', () => {
  console.log(`koa zoo app listening on http://127.0.0.1:${PORT}`);
});

process.on('SIGTERM', () => {
  server.close();
  db.close();
  locker.close(); // also keeps the lock-holding connection referenced (not garbage-collected)
  process.exit(0);
});
