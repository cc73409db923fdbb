import type {
  ContainerCrashFacts,
  EmptySecretFacts,
  ExceptionSite,
  STACK,
} from '../../../src/report/finding-words/stack.js';
import type { Samples } from '../../support/word-samples.js';

const port = { port: 8000 };
const exited: ContainerCrashFacts = {
  service: 'app',
  container: 'shop-app-1',
  kind: 'exited',
  exitCode: 3,
  oomKilled: false,
  seconds: 41,
  stage: { name: 'ramp', users: 40 },
};
const oom: ContainerCrashFacts = {
  ...exited,
  kind: 'oom-killed',
  exitCode: 137,
  oomKilled: true,
  stage: { name: 'smoke', users: 1 },
};
const restarted: ContainerCrashFacts = {
  ...exited,
  kind: 'restarted',
  exitCode: undefined,
  stage: undefined,
};
const unreachable = { endpoint: 'POST /token', requests: 3, stage: 'smoke' };
const oneRequest = { endpoint: 'GET /items', requests: 1, stage: 'smoke' };
const target = { target: 'http://127.0.0.1:8000' };
const password = { key: 'scenario.setup[0].request.form.password', variable: 'API_PASSWORD' };
const dbPassword = { key: 'stack.env.DB_PASSWORD', variable: 'PG_PASSWORD' };
const dbUrl = { key: 'stack.env.URL', variable: 'PG_PASSWORD' };
const user = { key: 'scenario.setup[0].request.form.username', variable: 'API_USER' };
const scenarioSecret: EmptySecretFacts = { reads: [password] };
const stackSecrets: EmptySecretFacts = { reads: [dbPassword, dbUrl, user] };
const unread: EmptySecretFacts = { reads: [] };
const site: ExceptionSite = {
  frame: 'File "/work/locustfile.py", line 7, in hit',
  code: 'print(body["price"])',
};

export const STACK_SAMPLES: Samples<typeof STACK.en> = {
  'stack.error': [
    { kind: 'port-in-use', port: 8000 },
    { kind: 'exited', code: 3, signal: null },
    {
      kind: 'not-ready',
      timeoutMs: 60_000,
      detached: true,
      lastCheck: { kind: 'status', url: 'http://127.0.0.1:8000/health', status: 503 },
    },
    { kind: 'stopped', why: 'SIGTERM' },
  ],
  'stack.port-in-use.title': [port],
  'stack.port-in-use.port': [port],
  'stack.port-in-use.action': [port],
  'stack.docker-unavailable.title': [],
  'stack.docker-unavailable.action': [
    { kind: 'no-cli' },
    {
      kind: 'daemon-down',
      output: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock',
    },
    { kind: 'docker-failed', code: 1, output: 'permission denied' },
    { kind: 'no-labelled-container', label: 'com.docker.compose.project=shop' },
  ],
  'stack.not-ready.exited': [],
  'stack.not-ready.port-unbound': [{ service: 'db' }],
  'stack.not-ready.title': [],
  'stack.not-ready.service': [
    { service: 'db', state: 'exited', exitCode: 1 },
    { service: 'app', state: 'restarting', health: 'unhealthy', restarts: 1 },
    { service: 'app', state: 'running', health: 'unhealthy', restarts: 4 },
  ],
  'stack.not-ready.port-taken': [
    {
      line: 'db | 2026-01-12 10:00:01.123 UTC [1] LOG: could not bind IPv4 address "0.0.0.0": Address already in use',
    },
  ],
  'stack.not-ready.run-locally': [{ command: 'docker compose up --wait' }],
  'stack.not-ready.fix-service': [{ service: 'app' }],
  'stack.not-ready.check-ready': [],
  'stack.crashed.title': [],
  'stack.crashed.exit': [
    { code: 3, signal: null, seconds: 12, stage: { name: 'ramp', users: 10 } },
    { code: null, signal: 'SIGKILL', seconds: 30, stage: { name: 'smoke', users: 1 } },
    { code: 1, signal: null, seconds: 5, stage: undefined },
  ],
  'stack.crashed.action': [],
  'stack.crashed.service': [exited, oom, restarted],
  'stack.crashed.container': [exited, oom, restarted],
  'stack.crashed.peak': [{ memoryMb: 512, cpuPercent: 187.5 }],
  'stack.crashed.out-of-memory': [oom],
  'stack.crashed.read-log': [exited, restarted],
  'stack.unreachable.title': [unreachable],
  'stack.unreachable.no-response': [unreachable, oneRequest],
  'stack.unreachable.target': [target, { target: undefined }],
  'stack.unreachable.action': [target, { target: undefined }],
  'config.empty-secret.title': [scenarioSecret, stackSecrets, unread],
  'config.empty-secret.read': [password, dbPassword, user],
  'config.empty-secret.action': [scenarioSecret, stackSecrets, unread],
  'locust.exceptions.title': [],
  'locust.exceptions.at': [site, { frame: 'File "/work/locustfile.py", line 12, in on_start' }],
  'locust.exceptions.action': [{ site }, { site: undefined }],
};
