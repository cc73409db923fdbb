import { z } from 'zod';
import { parseDuration, parseThink } from './duration.js';
import { expectedLimit, METRICS, parseLimit, type Limit, type Metric } from './limit.js';

/**
 * The single source of truth for `loadgate.yml` (and, through overrides, the action inputs).
 * Keys are written in kebab-case in the file; the parsed value is a camelCase `Config`.
 * Every message says what was expected; the loader adds the key path and the value.
 */

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;

/**
 * A string parsed by `parse` (undefined = malformed) into a typed value; a malformed one is an
 * issue saying what was expected.
 */
const parsedString = <T>(expected: string, parse: (text: string) => T | undefined) =>
  z.string({ error: expected }).transform((text, ctx): T => {
    const value = parse(text);
    if (value === undefined) {
      ctx.issues.push({ code: 'custom', input: text, message: expected });
      return z.NEVER;
    }
    return value;
  });

const duration = (example = '30s') =>
  parsedString(`expected a duration such as ${example} (units: ms, s, m, h)`, parseDuration);

/** A limit on `metric`, in loadgate's form or k6's; a malformed one says what and why. */
const limit = (metric: Metric) =>
  z
    .string({ error: expectedLimit(metric) })
    .describe(expectedLimit(metric).replace(/^expected a/, 'A'))
    .transform((text, ctx): Limit => {
      const parsed = parseLimit(text, metric);
      if ('error' in parsed) {
        ctx.issues.push({ code: 'custom', input: text, message: parsed.error });
        return z.NEVER;
      }
      return parsed;
    });

const percentage = (example: string) =>
  z
    .string({ error: `expected a percentage such as ${example}` })
    .regex(/^\s*\+?\d+(\.\d+)?\s*%\s*$/, { error: `expected a percentage such as ${example}` })
    .transform((text) => Number(text.replace(/[+%\s]/g, '')));

/** failure-rate, p50 ... rps: the same set of optional limits at every scope. */
const metricShape = Object.fromEntries(
  (Object.keys(METRICS) as Metric[]).map((metric) => [metric, limit(metric).optional()]),
) as { [M in Metric]: z.ZodOptional<ReturnType<typeof limit>> };
const metricLimits = z.strictObject(metricShape);

type MetricLimits = Partial<Record<Metric, Limit>>;

function definedLimits(limits: Partial<Record<Metric, Limit | undefined>>): MetricLimits {
  return Object.fromEntries(
    Object.entries(limits).filter(([, v]) => v !== undefined),
  ) as MetricLimits;
}

const absoluteUrl = (what: string) =>
  z.string({ error: `expected ${what}` }).refine(
    (text) => {
      try {
        const url = new URL(text);
        return url.protocol === 'http:' || url.protocol === 'https:';
      } catch {
        return false;
      }
    },
    { error: `expected ${what}` },
  );

const positiveInt = (what: string) =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });

const scalar = z.union([z.string(), z.number(), z.boolean()], {
  error: 'expected a string, number or boolean',
});
const stringMap = z.record(z.string(), scalar, { error: 'expected a map of names to values' });

const readyProbe = parsedString('expected an http(s):// URL or tcp://host:port', (text) =>
  parseReadyProbe(text),
);

export type ReadyProbe =
  /** `statuses`: accepted statuses (`stack.ready-status`); default any 2xx. */
  { kind: 'http'; url: string; statuses?: number[] } | { kind: 'tcp'; host: string; port: number };

export function parseReadyProbe(text: string): ReadyProbe | undefined {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') return { kind: 'http', url: text };
    if (url.protocol === 'tcp:' && url.hostname && url.port) {
      return { kind: 'tcp', host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port) };
    }
  } catch {
    // fall through
  }
  return undefined;
}

const EXPECTED_SPEC =
  "expected the http(s):// URL or the file path (.json, .yaml) of the API's OpenAPI document, or false";

/** An http(s) URL or a file path (any other scheme, such as ftp://, is refused). */
function isSpecLocation(text: string): boolean {
  return (
    /^https?:\/\/\S+$/i.test(text) || (text.trim() !== '' && !/^[a-z][\w+.-]*:\/\//i.test(text))
  );
}

const captureSpec = z
  .string({ error: 'expected json.<path>, header.<name> or regex:<pattern>' })
  .refine((text) => /^(json\.[^\s]+|header\.[^\s]+|regex:.+)$/.test(text), {
    error: 'expected json.<path>, header.<name> or regex:<pattern>',
  })
  .refine(
    (text) => {
      if (!text.startsWith('regex:')) return true;
      try {
        new RegExp(text.slice('regex:'.length));
        return true;
      } catch {
        return false;
      }
    },
    { error: 'expected a valid regular expression after regex:' },
  );

const statusCode = z
  .number({ error: 'expected an HTTP status code (100-599) or a list of them' })
  .int()
  .min(100, { error: 'expected an HTTP status code (100-599)' })
  .max(599, { error: 'expected an HTTP status code (100-599)' });

/** A status code, a class ("2xx") or a range ("200-204"), expanded to the codes it accepts. */
const statusSpec = z.union(
  [
    statusCode.transform((code) => [code]),
    z.string().transform((text, ctx) => {
      const cls = /^\s*([1-5])xx\s*$/i.exec(text);
      const range = /^\s*(\d{3})\s*-\s*(\d{3})\s*$/.exec(text);
      const from = cls ? Number(cls[1]) * 100 : range ? Number(range[1]) : NaN;
      const to = cls ? from + 99 : range ? Number(range[2]) : NaN;
      if (!(from >= 100 && to <= 599 && from <= to)) {
        ctx.issues.push({
          code: 'custom',
          input: text,
          message: 'expected a status code, a class such as "2xx" or a range such as "200-204"',
        });
        return z.NEVER;
      }
      return Array.from({ length: to - from + 1 }, (_, i) => from + i);
    }),
  ],
  { error: 'expected a status code, a class such as "2xx" or a range such as "200-204"' },
);

const requestSchema = z
  .strictObject({
    method: z
      .string({ error: `expected one of ${HTTP_METHODS.join(', ')}` })
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(HTTP_METHODS, { error: `expected one of ${HTTP_METHODS.join(', ')}` }))
      .default('GET'),
    url: z
      .string({ error: 'expected a path such as /items or an absolute http(s) URL' })
      .refine((u) => u.startsWith('/') || /^https?:\/\//.test(u), {
        error: 'expected a path such as /items or an absolute http(s) URL',
      }),
    headers: z
      .record(z.string(), z.string({ error: 'expected a string header value' }))
      .default({}),
    query: stringMap.default({}),
    json: z.unknown().optional(),
    form: stringMap.optional(),
    body: z.string({ error: 'expected the raw request body as a string' }).optional(),
    multipart: z
      .record(
        z.string(),
        z.union(
          [
            scalar,
            z.strictObject({
              file: z.string({ error: 'expected a file path (relative to the config)' }),
              'content-type': z.string().default('application/octet-stream'),
              filename: z.string().optional(),
            }),
          ],
          { error: 'expected a field value, or { file: path, content-type?, filename? }' },
        ),
      )
      .optional(),
    'content-type': z.string().optional(),
    timeout: duration('10s').default(30_000),
  })
  .superRefine((request, ctx) => {
    const given = (['json', 'form', 'body', 'multipart'] as const).filter(
      (k) => request[k] !== undefined,
    );
    if (given.length > 1) {
      ctx.addIssue({
        code: 'custom',
        path: [given[1] as string],
        input: given,
        message: `expected only one of json, form, body or multipart (got ${given.join(' and ')})`,
      });
    }
  });

const stepSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    weight: positiveInt('a positive integer weight').default(1),
    request: requestSchema,
    capture: z.record(z.string(), captureSpec).default({}),
    check: z
      .strictObject({
        status: z.union([statusSpec, z.array(statusSpec).min(1)]).optional(),
        'body-contains': z.string({ error: 'expected the text the body must contain' }).optional(),
        json: z
          .record(z.string(), z.union([scalar, z.null()]), {
            error: 'expected a map of JSON paths to expected values',
          })
          .optional(),
      })
      .prefault({}),
  })
  .transform((step) => {
    const { request } = step;
    const body: RequestBody | undefined =
      request.json !== undefined
        ? { kind: 'json', value: request.json }
        : request.form !== undefined
          ? { kind: 'form', fields: stringify(request.form) }
          : request.body !== undefined
            ? { kind: 'raw', text: request.body, contentType: request['content-type'] }
            : request.multipart !== undefined
              ? multipartBody(request.multipart)
              : undefined;
    return {
      name: step.name ?? `${request.method} ${request.url.split('?')[0]}`,
      weight: step.weight,
      request: {
        method: request.method,
        url: request.url,
        headers: request.headers,
        query: stringify(request.query),
        body,
        timeoutMs: request.timeout,
      },
      capture: Object.entries(step.capture).map(([variable, from]) => ({ variable, from })),
      check: {
        status:
          step.check.status === undefined
            ? undefined
            : ([] as number[][]).concat(step.check.status).flat(),
        bodyContains: step.check['body-contains'],
        json: step.check.json,
      },
    };
  });

function stringify(map: Record<string, string | number | boolean>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)]));
}

export type RequestBody =
  | { kind: 'json'; value: unknown }
  | { kind: 'form'; fields: Record<string, string> }
  | { kind: 'raw'; text: string; contentType: string | undefined }
  | {
      kind: 'multipart';
      fields: Record<string, string>;
      files: Record<string, { file: string; contentType: string; filename: string }>;
    };

function multipartBody(
  parts: Record<
    string,
    | string
    | number
    | boolean
    | { file: string; 'content-type': string; filename?: string | undefined }
  >,
): RequestBody {
  const fields: Record<string, string> = {};
  const files: Record<string, { file: string; contentType: string; filename: string }> = {};
  for (const [name, part] of Object.entries(parts)) {
    if (typeof part === 'object') {
      files[name] = {
        file: part.file,
        contentType: part['content-type'],
        filename: part.filename ?? part.file.split('/').pop() ?? name,
      };
    } else fields[name] = String(part);
  }
  return { kind: 'multipart', fields, files };
}

const regressionLimit = (absoluteExample: string, absolute: (text: string) => number | undefined) =>
  z
    .strictObject({
      relative: percentage('15%').default(15),
      absolute: parsedString(
        `expected an absolute floor such as ${absoluteExample}`,
        absolute,
      ).optional(),
    })
    .prefault({});

export const DEFAULTS = {
  smoke: { users: 1, iterations: 5 },
  ramp: { users: 300, spawnRate: 50, durationMs: 60_000 },
  failureRate: '< 1%',
  p95: '< 500ms',
  readyTimeoutMs: 60_000,
  abortDelayMs: 10_000,
  maxDurationMs: 30 * 60_000,
} as const;

/** The shape of loadgate.yml, parsed; `configSchema` adds the engine's refusals. */
export const parsedConfig = z
  .strictObject({
    target: absoluteUrl('an absolute http(s):// base URL such as http://127.0.0.1:8000'),
    engine: z
      .enum(['builtin', 'locust'], { error: 'expected "builtin" or "locust"' })
      .default('builtin'),
    locustfile: z.string({ error: 'expected the path of a locustfile' }).min(1).optional(),
    locust: z
      .strictObject({
        workers: z
          .number()
          .int()
          .min(0, { error: 'expected a number of local workers (0 or more)' })
          .default(0),
        'expect-workers': positiveInt('a positive number of workers to wait for').optional(),
        'master-bind': parsedString('expected host:port, such as 0.0.0.0:5557', (text) => {
          const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(text.trim());
          return match && Number(match[2]) < 65536
            ? { host: match[1] as string, port: Number(match[2]) }
            : undefined;
        }).optional(),
      })
      .optional(),
    locale: z.enum(['en', 'fr'], { error: 'expected "en" or "fr"' }).default('en'),
    diagnose: z
      .strictObject({
        probes: z
          .boolean({ error: 'expected true or false' })
          .default(true)
          .describe(
            'When the smoke stage is refused with a 4xx, re-send the refused request once with the fix a hypothesis names (form data for JSON, the scheme the API names, the field it asks for) to confirm the cause; at most 3 requests a run',
          ),
      })
      .prefault({}),
    openapi: z
      .union([z.literal(false), z.string().refine(isSpecLocation, { error: EXPECTED_SPEC })], {
        error: EXPECTED_SPEC,
      })
      .optional(),
    'max-duration': duration('30m').default(DEFAULTS.maxDurationMs),
    baseline: z
      .literal('merge-base', { error: 'expected "merge-base" (or use baseline-path)' })
      .optional(),
    'baseline-ref': z.string().min(1).optional(),
    'baseline-path': z
      .string({ error: 'expected the path of an earlier loadgate JSON report' })
      .min(1, { error: 'expected the path of an earlier loadgate JSON report' })
      .optional(),
    stack: z
      .strictObject({
        start: z
          .string({ error: 'expected a shell command' })
          .min(1, { error: 'expected a shell command' }),
        cwd: z.string().optional(),
        env: stringMap.default({}),
        ready: readyProbe.optional(),
        'ready-status': z.union([statusCode, z.array(statusCode).min(1)]).optional(),
        'ready-log': z
          .string({ error: 'expected a regular expression matched against the stack log' })
          .refine(
            (text) => {
              try {
                new RegExp(text);
                return true;
              } catch {
                return false;
              }
            },
            { error: 'expected a valid regular expression' },
          )
          .optional(),
        'ready-timeout': duration('60s').default(DEFAULTS.readyTimeoutMs),
        stop: z.string().min(1).optional(),
        logs: z.string().min(1).optional(),
        'compose-project': z
          .string({ error: 'expected a docker compose project name' })
          .regex(/^[a-z0-9][a-z0-9_-]*$/, {
            error: 'expected a docker compose project name: lower-case letters, digits, - and _',
          })
          .optional(),
      })
      .optional(),
    scenario: z.strictObject(
      {
        setup: z.array(stepSchema).default([]),
        tasks: z.array(stepSchema, { error: 'expected a list of tasks' }).min(1, {
          error: 'expected at least one task',
        }),
        data: z
          .union(
            [
              z.string().min(1),
              z.strictObject({
                file: z.string().min(1),
                'when-exhausted': z
                  .enum(['cycle', 'stop'], { error: 'expected "cycle" or "stop"' })
                  .default('cycle'),
              }),
            ],
            {
              error:
                'expected a CSV or JSON file (users.csv), or { file, when-exhausted: cycle | stop }',
            },
          )
          .transform((d) =>
            typeof d === 'string'
              ? { file: d, whenExhausted: 'cycle' as const }
              : { file: d.file, whenExhausted: d['when-exhausted'] },
          )
          .optional(),
        think: parsedString(
          'expected a think time such as none, 1s or 0.5s..1.5s',
          parseThink,
        ).prefault('none'),
      },
      { error: 'expected a scenario with tasks' },
    ),
    stages: z
      .strictObject({
        smoke: z
          .strictObject({
            users: positiveInt('a positive integer').default(DEFAULTS.smoke.users),
            iterations: positiveInt('a positive integer').default(DEFAULTS.smoke.iterations),
          })
          .prefault({}),
        ramp: z
          .strictObject({
            users: positiveInt('a positive integer').default(DEFAULTS.ramp.users),
            'spawn-rate': z
              .number({ error: 'expected a positive number of users per second' })
              .positive({ error: 'expected a positive number of users per second' })
              .default(DEFAULTS.ramp.spawnRate),
            duration: duration('60s').default(DEFAULTS.ramp.durationMs),
            rate: parsedString('expected an arrival rate such as "200/s"', (text) => {
              const match = /^\s*(\d+(?:\.\d+)?)\s*\/\s*s\s*$/.exec(text);
              const value = match ? Number(match[1]) : 0;
              return value > 0 ? value : undefined;
            }).optional(),
            'max-failures': positiveInt(
              'a positive number of failures after which the ramp stops',
            ).optional(),
          })
          .prefault({}),
      })
      .prefault({}),
    thresholds: z
      .strictObject({
        ...metricShape,
        'failure-rate': limit('failure-rate').prefault(DEFAULTS.failureRate),
        p95: limit('p95').prefault(DEFAULTS.p95),
        'exclude-ramp-up': z.boolean({ error: 'expected true or false' }).default(false),
        'abort-on-fail': z
          .union(
            [
              z.boolean(),
              z.strictObject({ delay: duration('10s').default(DEFAULTS.abortDelayMs) }),
            ],
            { error: 'expected true, false, or { delay: 10s }' },
          )
          .default(false),
        stages: z
          .strictObject({ smoke: metricLimits.optional(), ramp: metricLimits.optional() })
          .default({}),
        endpoints: z.record(z.string(), metricLimits).default({}),
        regression: z
          .strictObject({
            p95: regressionLimit('5ms', (t) => {
              const ms = parseDuration(t.replace(/^\+/, ''));
              return ms;
            }),
            'failure-rate': regressionLimit('0.5%', (t) => {
              const m = /^\s*\+?(\d+(?:\.\d+)?)\s*%\s*$/.exec(t);
              return m ? Number(m[1]) : undefined;
            }),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  // `engine: locust` with a `locustfile` needs no scenario (resolveEngine requires it otherwise)
  .partial({ scenario: true })
  .transform((c) => ({
    target: c.target.replace(/\/+$/, ''),
    engine: c.engine,
    /** With `engine: locust`: the user's locustfile; without it, one is generated from the scenario. */
    locustfile: c.locustfile,
    /** Locust's distributed mode: local workers, workers to wait for, where the master listens. */
    locust: c.locust && {
      workers: c.locust.workers,
      expectWorkers: c.locust['expect-workers'],
      masterBind: c.locust['master-bind'],
    },
    locale: c.locale,
    /** Probes: a refused request re-sent once with a hypothesis's fix, to confirm the cause. */
    diagnose: { probes: c.diagnose.probes },
    /**
     * The API's OpenAPI document (URL or file) the scenario is checked against before the smoke
     * stage; `false`: no check; unset: `<target>/openapi.json` is tried, and its absence is fine.
     */
    openapi: c.openapi,
    baselinePath: c['baseline-path'],
    /** Same-runner A/B: run the merge-base with `ref` (default: the PR's base branch) first. */
    baseline: c.baseline === 'merge-base' ? { ref: c['baseline-ref'] } : undefined,
    /** Hard cap on the whole run (boot, stages, teardown start), honoured whatever the target does. */
    maxDurationMs: c['max-duration'],
    stack: c.stack && {
      start: c.stack.start,
      cwd: c.stack.cwd,
      // a named compose project is the one compose runs (unless the env already names one)
      env: {
        ...(c.stack['compose-project'] ? { COMPOSE_PROJECT_NAME: c.stack['compose-project'] } : {}),
        ...stringify(c.stack.env),
      } as Record<string, string>,
      ready:
        c.stack.ready?.kind === 'http' && c.stack['ready-status'] !== undefined
          ? {
              ...c.stack.ready,
              statuses: ([] as number[]).concat(c.stack['ready-status']),
            }
          : c.stack.ready,
      readyLog: c.stack['ready-log'],
      readyTimeoutMs: c.stack['ready-timeout'],
      stop: c.stack.stop,
      logs: c.stack.logs,
      /** The compose project whose containers are watched (else found from the start command). */
      composeProject: c.stack['compose-project'],
    },
    /** Empty (no tasks) only with `engine: locust` and a `locustfile`: see resolveEngine. */
    scenario: c.scenario ?? {
      setup: [] as Step[],
      tasks: [] as Step[],
      data: undefined,
      think: { minMs: 0, maxMs: 0 },
    },
    stages: {
      smoke: c.stages.smoke,
      ramp: {
        users: c.stages.ramp.users,
        spawnRate: c.stages.ramp['spawn-rate'],
        durationMs: c.stages.ramp.duration,
        /** Open model: iterations started per second (users is then the most running at once). */
        rate: c.stages.ramp.rate,
        maxFailures: c.stages.ramp['max-failures'],
      },
    },
    thresholds: {
      global: definedLimits(
        Object.fromEntries(
          Object.keys(METRICS).map((m) => [m, c.thresholds[m as Metric]]),
        ) as Partial<Record<Metric, Limit | undefined>>,
      ),
      stages: {
        ...(c.thresholds.stages.smoke ? { smoke: definedLimits(c.thresholds.stages.smoke) } : {}),
        ...(c.thresholds.stages.ramp ? { ramp: definedLimits(c.thresholds.stages.ramp) } : {}),
      },
      endpoints: Object.fromEntries(
        Object.entries(c.thresholds.endpoints).map(([name, t]) => [name, definedLimits(t)]),
      ),
      excludeRampUp: c.thresholds['exclude-ramp-up'],
      /** Stop the ramp once a global threshold is breached, after `delayMs` of ramp. */
      abortOnFail:
        c.thresholds['abort-on-fail'] === false
          ? undefined
          : {
              delayMs:
                c.thresholds['abort-on-fail'] === true
                  ? DEFAULTS.abortDelayMs
                  : c.thresholds['abort-on-fail'].delay,
            },
      regression: {
        p95: {
          relativePercent: c.thresholds.regression.p95.relative,
          absolute: c.thresholds.regression.p95.absolute ?? 5,
        },
        failureRate: {
          relativePercent: c.thresholds.regression['failure-rate'].relative,
          absolute: c.thresholds.regression['failure-rate'].absolute ?? 0.5,
        },
      },
    },
  }));

/** The parsed config file (with input overrides applied). */
export type Config = z.output<typeof parsedConfig>;
export type Step = z.output<typeof stepSchema>;
export type StackConfig = NonNullable<Config['stack']>;
