// A small API for the loadgate demo: an OAuth2-style login that expects form data (like
// FastAPI's OAuth2PasswordRequestForm) and a protected endpoint. No dependencies.
import { randomBytes } from 'node:crypto';
import http from 'node:http';

const port = Number(process.env.PORT ?? 8787);
// RESPONSE_DELAY_MS slows every /items answer down: a "regression" to try the baseline check on.
const delayMs = Number(process.env.RESPONSE_DELAY_MS ?? 0);
const host = process.env.HOST ?? '127.0.0.1';
const USERS = new Map([
  [process.env.DEMO_USER ?? 'demo', process.env.DEMO_PASSWORD ?? 'demo-password'],
]);
const tokens = new Set();
const items = Array.from({ length: 20 }, (_, i) => ({
  id: i + 1,
  name: `item ${i + 1}`,
  price: (i + 1) * 1.5,
}));

function send(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function missing(fields) {
  return {
    detail: fields.map((field) => ({
      type: 'missing',
      loc: ['body', field],
      msg: 'Field required',
      input: null,
    })),
  };
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { status: 'ok' });
    if (url.pathname === '/token') {
      if (req.method !== 'POST') return send(res, 405, { detail: 'Method Not Allowed' });
      const type = req.headers['content-type'] ?? '';
      // Like OAuth2PasswordRequestForm: only form fields count; a JSON body has none.
      const form = type.startsWith('application/x-www-form-urlencoded')
        ? new URLSearchParams(body)
        : new URLSearchParams();
      const username = form.get('username');
      const password = form.get('password');
      const absent = [!username && 'username', !password && 'password'].filter(Boolean);
      if (absent.length) return send(res, 422, missing(absent));
      if (USERS.get(username) !== password) {
        return send(
          res,
          401,
          { detail: 'Incorrect username or password' },
          { 'www-authenticate': 'Bearer' },
        );
      }
      const token = randomBytes(16).toString('hex');
      tokens.add(token);
      return send(res, 200, { access_token: token, token_type: 'bearer' });
    }
    if (url.pathname === '/items' || url.pathname.startsWith('/items/')) {
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Bearer ') || !tokens.has(auth.slice(7))) {
        return send(res, 401, { detail: 'Not authenticated' }, { 'www-authenticate': 'Bearer' });
      }
      if (url.pathname === '/items') {
        if (delayMs > 0) return void setTimeout(() => send(res, 200, items), delayMs);
        return send(res, 200, items);
      }
      const item = items.find((i) => String(i.id) === url.pathname.slice('/items/'.length));
      return item ? send(res, 200, item) : send(res, 404, { detail: 'Item not found' });
    }
    send(res, 404, { detail: 'Not Found' });
  });
});

server.listen(port, host, () => {
  console.log(`demo API listening on http://${host}:${server.address().port}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
