import { z } from 'zod';
import { FAILURE_REASONS } from '../gate/failure-reason.js';
import type { JsonReport } from './report-data.js';

/**
 * A JSON report written by another run, read back (`mode: report` posts the report of a fork's
 * run). That run executed code from the fork, so its report is untrusted input: every field the
 * markdown renders is checked for its type, strings that are rendered without escaping must look
 * like what loadgate writes there, and unknown keys are dropped.
 */

const num = z.number().finite();
const count = z.number().int().nonnegative();
const text = z.string().max(100_000);
const token = (pattern: RegExp) => z.string().max(200).regex(pattern);
const stringMap = <T extends z.ZodType>(value: T) => z.record(z.string().max(1000), value);

const latency = z.object({
  min: num,
  max: num,
  mean: num,
  p50: num,
  p90: num,
  p95: num,
  p99: num,
});

const sample = z.object({
  request: z.object({
    method: text,
    url: text,
    headers: stringMap(text),
    body: text.optional(),
  }),
  response: z
    .object({ status: num, headers: stringMap(text), body: text, truncated: z.boolean() })
    .optional(),
});

const endpoint = z.object({
  name: text,
  method: text,
  requests: count,
  failures: count,
  latency,
  bytesReceived: num,
  bytesSent: num,
  rps: num,
  failuresPerSecond: num,
  statusCodes: stringMap(count),
  errors: z
    .array(
      z.object({
        message: text,
        status: num.optional(),
        count,
        firstSecond: num.optional(),
        sample,
      }),
    )
    .max(1000),
  quantiles: z.array(num).max(1000).optional(),
});

const stage = z.object({
  name: z.enum(['smoke', 'ramp']),
  status: z.enum(['completed', 'failed', 'skipped', 'aborted']),
  reason: text.optional(),
  users: count,
  peakUsers: count,
  startedAt: text,
  durationMs: num,
  endpoints: z.array(endpoint).max(1000),
  total: endpoint,
  timeline: z
    .array(
      z.object({
        second: num,
        users: num,
        rps: num,
        failuresPerSecond: num,
        p50: num,
        p95: num,
        p99: num.optional(),
      }),
    )
    .max(100_000),
  model: z.literal('open').optional(),
  targetRate: num.optional(),
  droppedIterations: count.optional(),
  note: text.optional(),
  exceptions: z
    .array(z.object({ message: text, count, traceback: text }))
    .max(1000)
    .optional(),
  hold: z
    .object({ startedAtSecond: num, endpoints: z.array(endpoint).max(1000), total: endpoint })
    .optional(),
});

const priority = z.enum(['high', 'medium', 'low']);
const action = z.object({ text, priority, effort: text });

const reportSchema = z.object({
  schemaVersion: z.literal(1),
  tool: z.object({ name: z.literal('loadgate'), version: token(/^[\w.+-]+$/) }),
  generatedAt: text,
  complete: z.boolean(),
  verdict: z.enum(['pass', 'fail', 'inconclusive']),
  reason: z.enum(FAILURE_REASONS).optional(),
  headline: text,
  target: text,
  configDigest: token(/^[\w:-]*$/),
  commit: token(/^[0-9a-f]{40}$/i).optional(),
  pullRequest: z.number().int().positive().optional(),
  baseline: z
    .object({ commit: token(/^[0-9a-f]{40}$/i).optional(), source: text, note: text.optional() })
    .optional(),
  regressions: count,
  environment: z.object({ cores: count, node: token(/^v?[\d.]+$/) }).optional(),
  error: text.optional(),
  engine: token(/^[\w-]+$/).optional(),
  durationMs: num.optional(),
  stages: z.array(stage).max(2),
  generator: z.object({ cpuPercent: num, maxEventLoopLagMs: num }).optional(),
  thresholds: z
    .array(
      z.object({
        kind: z.enum(['limit', 'regression']).optional(),
        metric: z.enum(['failure-rate', 'p50', 'p90', 'p95', 'p99', 'mean', 'max', 'rps']),
        scope: text,
        stage: z.enum(['smoke', 'ramp']).optional(),
        limit: text,
        actual: num.nullable(),
        unit: z.enum(['%', 'ms', '/s']),
        status: z.enum(['pass', 'fail', 'error', 'inconclusive']),
        baseline: num.optional(),
        delta: num.optional(),
        note: text.optional(),
      }),
    )
    .max(1000),
  findings: z
    .array(
      z.object({
        id: token(/^[a-z][\w.-]*$/),
        title: text,
        confidence: num,
        priority,
        evidence: z.array(text).max(1000),
        actions: z.array(action).max(100),
      }),
    )
    .max(100),
  plan: z
    .array(action.extend({ findingId: token(/^[a-z][\w.-]*$/), problem: text, cause: text }))
    .max(100),
  stack: z
    .object({
      command: text,
      started: z.boolean(),
      ready: z.boolean(),
      readyAfterMs: num.optional(),
      exit: z
        .object({ code: num.nullable(), signal: token(/^\w*$/).nullable(), atMs: num })
        .optional(),
      error: text.optional(),
      portInUse: num.optional(),
      logPath: text.optional(),
      resources: z
        .array(z.object({ second: num, cpuPercent: num, rssMb: num, processes: count }))
        .max(100_000)
        .optional(),
      detached: z.boolean().optional(),
      compose: z
        .object({
          project: text,
          source: text,
          leftovers: z.array(text).max(1000).optional(),
          problem: text.optional(),
        })
        .optional(),
      services: z
        .array(
          z.object({
            service: text,
            container: text,
            state: text,
            exitCode: num.optional(),
            oomKilled: z.boolean().optional(),
            restarts: count.optional(),
            health: text.optional(),
            events: z
              .array(z.object({ atMs: num, action: text, exitCode: num.optional() }))
              .max(1000),
            samples: z
              .array(z.object({ second: num, cpuPercent: num, memoryMb: num }))
              .max(100_000),
            peakCpuPercent: num.optional(),
            peakMemoryMb: num.optional(),
            logPath: text.optional(),
            logTail: z.array(text).max(10_000),
          }),
        )
        .max(1000)
        .optional(),
      containerCrash: z
        .object({
          service: text,
          container: text,
          kind: z.enum(['exited', 'restarted', 'oom-killed']),
          exitCode: num.optional(),
          oomKilled: z.boolean(),
          atMs: num,
        })
        .optional(),
      logTail: z.array(text).max(10_000),
      teardownTail: z.array(text).max(10_000).optional(),
    })
    .optional(),
});

/** Parses another run's JSON report; throws an Error naming the first fields that are wrong. */
export function readUntrustedReport(json: string, label: string): JsonReport {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`${label} is not JSON`);
  }
  const result = reportSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new Error(`${label} is not a loadgate JSON report (${problems})`);
  }
  return result.data as JsonReport;
}
