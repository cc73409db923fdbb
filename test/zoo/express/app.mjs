// Diagnosis-zoo app: Express 5, the way its docs and its usual libraries show it.
//   express.json() / express.urlencoded() (route-specific, as body-parser's docs show),
//   express-validator (login fields), jsonwebtoken (HS256 tokens + a small Bearer middleware),
//   express-rate-limit (3/minute), csrf-csrf + cookie-parser (double-submit cookie),
//   Express's default error handler (500 + stack on stderr) for /api/boom and /api/orders.
// Run: PORT=8080 ZOO_DATA_DIR=/tmp/x ZOO_JWT_SECRET=... node24 test/zoo/express/app.mjs
// Contract: test/zoo/README.md.
import crypto from 'node:crypto';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';

import cookieParser from 'cookie-parser';
import { doubleCsrf } from 'csrf-csrf';
import express from 'express-5'; // Express 5 (npm alias: json-server, another fixture, needs Express 4 at the top)
import { rateLimit } from 'express-rate-limit';
import { body, validationResult } from 'express-validator';
import jwt from 'jsonwebtoken';

const PORT = Number(process.env.PORT ?? 3000);
const DATA_DIR = process.env.ZOO_DATA_DIR ?? '.';
const JWT_SECRET = process.env.ZOO_JWT_SECRET ?? 'dev-secret-change-me-0123456789abcdef';
const USERS = { demo: 'demo-password' };

// SQLite: one connection takes the write lock at boot and never commits; /api/orders writes
// through another connection whose busy timeout is 100 ms, so it fails with "database is locked".
const dbFile = path.join(DATA_DIR, 'express-orders.sqlite');
const locker = new DatabaseSync(dbFile);
locker.exec(
  'CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, item TEXT, created_at TEXT)',
);
locker.exec('BEGIN EXCLUSIVE');
const db = new DatabaseSync(dbFile, { timeout: 100 });

const app = express();
app.use(cookieParser());

// csrf-csrf, its documented setup; the cookie is renamed (no __Host- prefix) and not Secure
// because the zoo serves plain HTTP on 127.0.0.1 ("Change for development" in its README).
const { generateCsrfToken, doubleCsrfProtection } = doubleCsrf({
  getSecret: () => JWT_SECRET,
  getSessionIdentifier: (req) => req.ip,
  cookieName: 'psifi.x-csrf-token',
  cookieOptions: { sameSite: 'strict', path: '/', secure: false, httpOnly: true },
});

// express-rate-limit, as its README shows, with a limit of 3 requests a minute.
const limiter = rateLimit({
  windowMs: 60 * 1000,
  limit: 3,
  standardHeaders: 'draft-8',
  legacyHeaders: false,
});

// The usual Express/jsonwebtoken tutorial middleware: 401 when there is no Bearer token,
// 401 {"message": err.message} when jwt.verify throws.
function authenticateToken(req, res, next) {
  const authHeader = req.headers.authorization;
  if (!authHeader || !authHeader.startsWith('Bearer ')) return res.sendStatus(401);
  const token = authHeader.split(' ')[1];
  try {
    req.user = jwt.verify(token, JWT_SECRET, { algorithms: ['HS256'] });
    next();
  } catch (err) {
    return res.status(401).json({ message: err.message });
  }
}

const issueToken = (username) =>
  jwt.sign({ sub: username }, JWT_SECRET, { algorithm: 'HS256', expiresIn: '1h' });

const credentialRules = [body('username').notEmpty(), body('password').notEmpty()];

app.get('/health', (req, res) => res.json({ status: 'ok' }));

app.post('/api/login', express.json(), credentialRules, (req, res) => {
  const result = validationResult(req);
  if (!result.isEmpty()) return res.status(400).json({ errors: result.array() });
  const { username, password } = req.body;
  if (USERS[username] !== password) return res.sendStatus(401);
  res.json({ token: issueToken(username) });
});

app.post('/api/token', express.urlencoded(), credentialRules, (req, res) => {
  const result = validationResult(req);
  if (!result.isEmpty()) return res.status(400).json({ errors: result.array() });
  const { username, password } = req.body;
  if (USERS[username] !== password) return res.sendStatus(401);
  res.json({ access_token: issueToken(username), token_type: 'bearer' });
});

app.get('/api/items', authenticateToken, (req, res) => {
  res.json([1, 2, 3].map((id) => ({ id, name: `item ${id}` })));
});

app.get('/api/fast', (req, res) => res.json({ ok: true }));

app.get('/api/csrf-token', (req, res) => {
  res.json({ csrfToken: generateCsrfToken(req, res) });
});

let commentId = 0;
app.post('/api/comments', doubleCsrfProtection, express.json(), (req, res) => {
  res.status(201).json({ id: ++commentId, comment: req.body ?? null });
});

app.get('/api/limited', limiter, (req, res) => res.json({ ok: true }));

// Unhandled TypeError (reading a key of a missing object): Express's default handler answers.
app.get('/api/boom', (req, res) => {
  const order = {};
  res.json({ customer: order.customer.name });
});

// Express 5 forwards the rejection of an async handler to the default error handler.
app.post('/api/orders', async (req, res) => {
  const stmt = db.prepare('INSERT INTO orders (item, created_at) VALUES (?, ?)');
  const info = stmt.run('widget', new Date().toISOString());
  res.status(201).json({ id: Number(info.lastInsertRowid) });
});

app.get('/api/slow', async (req, res) => {
  await sleep(300);
  res.json({ ok: true, slept_ms: 300 });
});

app.get('/api/cpu', (req, res) => {
  const end = performance.now() + 20;
  let digest = Buffer.alloc(32);
  let rounds = 0;
  while (performance.now() < end) {
    digest = crypto.createHash('sha256').update(digest).digest();
    rounds++;
  }
  res.json({ ok: true, rounds, digest: digest.toString('hex').slice(0, 16) });
});

const server = app.listen(PORT, '127.0.0.1', (err) => {
  if (err) throw err;
  console.log(`express zoo app listening on http://127.0.0.1:${PORT}`);
});

process.on('SIGTERM', () => {
  server.close();
  db.close();
  locker.close(); // also keeps the lock-holding connection referenced (not garbage-collected)
  process.exit(0);
});
