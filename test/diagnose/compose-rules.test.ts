import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { diagnose } from '../support/diagnose.js';
import type { EndpointStats } from '../../src/model/run-result.js';
import type { StackEvidence } from '../../src/model/stack-evidence.js';
import { endpoint, run, stage } from '../support/run-result.js';

const config = configSchema.parse({
  target: 'http://127.0.0.1:8080',
  scenario: { tasks: [{ request: { url: '/items' } }] },
});

const NGINX_PAGE = (status: string) =>
  `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n`;

function failing(status: number, body: string, count = 40, name = 'GET /items'): EndpointStats {
  return endpoint({
    name,
    requests: 100,
    failures: count,
    statusCodes: { '200': 100 - count, [String(status)]: count },
    errors: [
      {
        message: `HTTP ${status}`,
        status,
        count,
        firstSecond: 0,
        sample: {
          request: { method: 'GET', url: 'http://127.0.0.1:8080/items', headers: {} },
          response: { status, headers: { server: 'nginx/1.22.1' }, body, truncated: false },
        },
      },
    ],
  });
}

function stack(extra: Partial<StackEvidence> = {}): StackEvidence {
  return {
    command: 'docker compose up -d --wait',
    started: true,
    ready: true,
    logTail: [],
    ...extra,
  };
}

const service = (name: string, logTail: string[] = []) => ({
  service: name,
  container: `shop-${name}-1`,
  state: 'running',
  events: [],
  samples: [],
  logTail,
});

describe('compose and proxy evidence', () => {
  it('a container exit outranks the proxy 502s it causes', () => {
    const result = run([
      stage('smoke', [endpoint({ name: 'GET /items', requests: 3 })]),
      stage('ramp', [failing(502, NGINX_PAGE('502 Bad Gateway'))], { status: 'aborted' }),
    ]);
    const { findings, plan } = diagnose({
      config,
      result,
      stack: stack({
        containerCrash: {
          service: 'app',
          container: 'shop-app-1',
          kind: 'exited',
          exitCode: 3,
          oomKilled: false,
          atMs: 9000,
        },
        services: [
          {
            ...service('app', ['12:00:01.000 Traceback (most recent call last):']),
            state: 'exited',
            exitCode: 3,
          },
          service('proxy', [
            '12:00:02.000 [error] connect() failed (111: Connection refused) while connecting to upstream',
          ]),
        ],
      }),
    });
    expect(findings.map((f) => f.id).slice(0, 2)).toEqual([
      'stack.crashed',
      'proxy.upstream-unreachable',
    ]);
    expect(findings[0]?.title).toBe('Service app exited during the load test (exit code 3)');
    expect(plan[0]?.text).toMatch(/^Read the log of service app/);
    expect(findings.map((f) => f.id)).not.toContain('server.errors');
  });

  it('the app’s own 503 through nginx (JSON body, Server: nginx) is not a proxy limit', () => {
    const result = run([
      stage('smoke', [endpoint({ name: 'GET /items', requests: 3 })]),
      stage('ramp', [failing(503, '{"detail":"maintenance"}')]),
    ]);
    const ids = diagnose({ config, result, stack: stack() }).findings.map((f) => f.id);
    expect(ids).toContain('server.errors');
    expect(ids).not.toContain('rate-limited');
  });

  it('nginx’s own 503 with a limit_req log line is rate-limited, with the zone', () => {
    const result = run([
      stage('smoke', [endpoint({ name: 'GET /items', requests: 3 })]),
      stage('ramp', [failing(503, NGINX_PAGE('503 Service Temporarily Unavailable'))]),
    ]);
    const { findings } = diagnose({
      config,
      result,
      stack: stack({
        services: [
          service('proxy', [
            '12:00:03.000 [error] 8#8: *5 limiting requests, excess: 20.6 by zone "api", client: 127.0.0.1',
          ]),
        ],
      }),
    });
    expect(findings[0]?.id).toBe('rate-limited');
    expect(findings[0]?.title).toContain('limit_req zone "api"');
  });

  it('an exhausted pool behind 504s is the first thing to fix, the timeout second', () => {
    const result = run([
      stage('smoke', [endpoint({ name: 'GET /items', requests: 3 })]),
      stage('ramp', [failing(504, NGINX_PAGE('504 Gateway Time-out'))]),
    ]);
    const { findings } = diagnose({
      config,
      result,
      stack: stack({
        services: [
          service('app', [
            '12:00:04.000 sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 0 reached, connection timed out, timeout 1.00',
          ]),
          service('proxy', [
            '12:00:05.000 [error] upstream timed out (110: Connection timed out) while reading response header from upstream',
          ]),
        ],
      }),
    });
    expect(findings.map((f) => f.id).slice(0, 2)).toEqual([
      'database.pool-exhausted',
      'proxy.upstream-timeout',
    ]);
    expect(findings[0]?.title).toContain('(5 connections for 300 users)');
  });

  it('with a locustfile (no scenario step) the 404 action points at the locustfile', () => {
    const bare = configSchema.parse({
      target: 'http://127.0.0.1:8080',
      engine: 'locust',
      locustfile: 'locustfile.py',
    });
    const notFound = endpoint({
      name: 'GET /itemz',
      requests: 3,
      failures: 3,
      statusCodes: { '404': 3 },
      errors: [
        {
          message: 'HTTP 404',
          status: 404,
          count: 3,
          sample: {
            request: { method: 'GET', url: 'http://127.0.0.1:8080/itemz', headers: {} },
            response: {
              status: 404,
              headers: {},
              body: '{"detail":"Not Found"}',
              truncated: false,
            },
          },
        },
      ],
    });
    const { plan } = diagnose({ config: bare, result: run([stage('smoke', [notFound])]) });
    expect(plan[0]?.text).toBe(
      'Check the path of GET /itemz in the locustfile and the base URL (target: http://127.0.0.1:8080)',
    );
  });
});
