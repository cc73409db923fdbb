import type { HTTP } from '../../../src/report/finding-words/http.js';
import type { Samples } from '../../support/word-samples.js';

const step = { endpoint: 'GET /items', stepPath: 'scenario.tasks[0]' };
const locust = { endpoint: 'POST /orders', stepPath: undefined };
const ramp = { count: 40, requests: 100, stage: 'ramp' };
const smoke = { count: 1, requests: 1, stage: 'smoke' };

export const HTTP_SAMPLES: Samples<typeof HTTP.en> = {
  'http.answers': [
    { endpoint: 'GET /items', status: 404, reason: 'Not Found' },
    { endpoint: 'POST /orders', status: 405, reason: 'Method Not Allowed' },
  ],
  'http.status-count': [ramp, smoke],
  'http.not-found.action': [
    { ...step, target: 'http://127.0.0.1:8000' },
    { ...locust, target: undefined },
  ],
  'http.method-not-allowed.action': [step, locust],
  'rate-limited.title': [{ endpoint: 'GET /items', status: 429, reason: 'Too Many Requests' }],
  'rate-limited.action': [],
  'server.errors.title': [{ endpoint: 'GET /items' }],
  'server.errors.action': [],
  'database.server-errors': [
    { ...ramp, endpoint: 'GET /items', p95: 1002 },
    { ...smoke, endpoint: 'POST /orders', p95: undefined },
  ],
  'database.pool-exhausted.title': [
    { size: { connections: 15, users: 300 } },
    { size: { connections: 1, users: 1 } },
    { size: undefined },
  ],
  'database.pool-exhausted.action': [],
  'database.locked.title': [{ endpoint: 'POST /api/orders' }],
  'database.locked.held-lock': [],
  'database.locked.concurrent-writes': [],
  'database.unavailable.title': [],
  'database.unavailable.size-pool': [],
  'database.unavailable.check-database': [],
};
