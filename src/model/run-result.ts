import { z } from 'zod';
import { count, num, stringMap, text, token } from './json-values.js';
import { openApiEvidenceSchema } from './openapi-evidence.js';

/**
 * The result model: the engine-agnostic contract between the engine and every later stage
 * (gate, diagnose, report). Plain data only, JSON-serialisable. Latencies are in milliseconds.
 * Each type is inferred from its schema, which also checks a report read back from a file.
 */

export const stageNameSchema = z.enum(['smoke', 'ramp']);
export type StageName = z.infer<typeof stageNameSchema>;

export const latencyStatsSchema = z.object({
  min: num,
  max: num,
  mean: num,
  p50: num,
  p90: num,
  p95: num,
  p99: num,
});
export type LatencyStats = z.infer<typeof latencyStatsSchema>;

/** One redacted request/response pair kept as evidence for a group of errors. */
export const httpSampleSchema = z.object({
  request: z.object({
    method: text,
    url: text,
    headers: stringMap(text),
    body: text.optional(),
  }),
  /** Absent when no HTTP response was received (connection refused, reset, timeout). */
  response: z
    .object({
      status: num,
      headers: stringMap(text),
      body: text,
      /** True when `body` was cut to the sample limit. */
      truncated: z.boolean(),
    })
    .optional(),
});
export type HttpSample = z.infer<typeof httpSampleSchema>;

/**
 * What kind of failure a request met, set where it happened (by either engine), so that
 * decisions never read the message, which is for people:
 * - `refused`: the connection was refused (nothing listens);
 * - `reset`: the connection was reset, or broke while the request was being written;
 * - `closed`: the server closed the connection before the response was complete;
 * - `timeout`: no connection, no response or no complete body in time;
 * - `dns`: the host name could not be resolved;
 * - `tls`: the TLS handshake or the certificate failed;
 * - `protocol`: the response is not valid HTTP (status line, header, framing);
 * - `unreachable`: no route to the host or network;
 * - `status`: a response with a status the step does not accept;
 * - `check-failed`: a check on the response body failed;
 * - `capture-failed`: a capture found nothing in the response;
 * - `request-build`: refused before anything was sent (an unset variable, an invalid URL, a
 *   CR/LF in a header value);
 * - `other`: anything else.
 */
export const errorKindSchema = z.enum([
  'refused',
  'reset',
  'closed',
  'timeout',
  'dns',
  'tls',
  'protocol',
  'unreachable',
  'status',
  'check-failed',
  'capture-failed',
  'request-build',
  'other',
]);
export type ErrorKind = z.infer<typeof errorKindSchema>;

/** Failures grouped by endpoint + message (e.g. "HTTP 422", "ECONNREFUSED", "check status"). */
export const errorGroupSchema = z.object({
  message: text,
  /** Absent in reports written before loadgate recorded it. */
  kind: errorKindSchema.optional(),
  /** The HTTP status when the failure carried one. */
  status: num.optional(),
  count,
  /** Index of the one-second timeline bucket where the first occurrence fell (0 = first second). */
  firstSecond: num.optional(),
  sample: httpSampleSchema,
});
export type ErrorGroup = z.infer<typeof errorGroupSchema>;

export const endpointStatsSchema = z.object({
  /** Locust-style name: "POST /token", or the request's `name`. "Aggregated" for the total. */
  name: text,
  method: text,
  requests: count,
  failures: count,
  latency: latencyStatsSchema,
  /** Bytes received (response bodies). */
  bytesReceived: num,
  bytesSent: num,
  /** Requests and failures per second over the stage duration. */
  rps: num,
  failuresPerSecond: num,
  /** Status code → count; "0" counts requests that got no HTTP response. */
  statusCodes: stringMap(count),
  errors: z.array(errorGroupSchema).max(1000),
  /**
   * The latency distribution as 201 quantiles (0%, 0.5%, ... 100%, in ms): what a later run
   * compares with to tell a regression from noise.
   */
  quantiles: z.array(num).max(1000).optional(),
});
export type EndpointStats = z.infer<typeof endpointStatsSchema>;

export const timelinePointSchema = z.object({
  /** Seconds since the start of the stage (end of the one-second bucket). */
  second: num,
  users: num,
  rps: num,
  failuresPerSecond: num,
  p50: num,
  p95: num,
  /** Absent in reports written before loadgate recorded it per second. */
  p99: num.optional(),
});
export type TimelinePoint = z.infer<typeof timelinePointSchema>;

export const stageStatusSchema = z.enum(['completed', 'failed', 'skipped', 'aborted']);
export type StageStatus = z.infer<typeof stageStatusSchema>;

/** One Locust worker of a distributed stage. */
export const workerReportSchema = z.object({
  id: text,
  /** The most users it ran at once, and the requests it reported. */
  users: count,
  requests: count,
  /** Locust's last state for it ("stopped", "missing": it stopped sending heartbeats). */
  state: text,
  /** A local worker that exited with an error. */
  exitCode: num.optional(),
  error: text.optional(),
});
export type WorkerReport = z.infer<typeof workerReportSchema>;

/** Why the run was stopped from outside the load, as facts (the report words them). */
export const stopFactSchema = z.discriminatedUnion('kind', [
  /** loadgate received SIGINT or SIGTERM (the runner cancelled the job, Ctrl-C). */
  z.object({ kind: z.literal('signal'), signal: token(/^SIG[A-Z0-9]+$/) }),
  /** `max-duration` was reached. */
  z.object({ kind: z.literal('max-duration'), ms: num }),
  /** The stack's start command exited during the run. */
  z.object({
    kind: z.literal('stack-exited'),
    code: num.nullable(),
    signal: token(/^\w*$/).nullable(),
  }),
  /** A compose service's container exited, restarted or was OOM-killed during the run. */
  z.object({
    kind: z.literal('service-crashed'),
    service: text,
    crash: z.enum(['exited', 'restarted', 'oom-killed']),
    exitCode: num.optional(),
  }),
]);
export type StopFact = z.infer<typeof stopFactSchema>;

/**
 * Why a stage was skipped or stopped, as facts (the report words them in its language): the
 * run was stopped before the ramp, the smoke stage failed (its counts and first error, quoted as
 * the engine wrote it), `stages.ramp.max-failures` was reached, or `thresholds.abort-on-fail`
 * saw a threshold breached by the running totals.
 */
export const stageReasonFactSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stopped-before-ramp') }),
  /** The run was stopped during the stage. */
  z.object({ kind: z.literal('stopped'), stop: stopFactSchema }),
  z.object({
    kind: z.literal('smoke-failed'),
    failures: count,
    requests: count,
    firstError: text.optional(),
  }),
  z.object({ kind: z.literal('max-failures'), failures: count, limit: count }),
  z.object({
    kind: z.literal('abort-on-fail'),
    elapsedMs: num,
    metric: text,
    actual: num,
    unit: text,
    limit: text,
    requests: count,
  }),
]);
export type StageReasonFact = z.infer<typeof stageReasonFactSchema>;

export const stageResultSchema = z.object({
  name: stageNameSchema,
  status: stageStatusSchema,
  /**
   * Why the stage was skipped, aborted or failed, in one sentence: an engine's own text (a stop
   * from outside, Locust), or in the JSON report `reasonFact` worded in English.
   */
  reason: text.optional(),
  /** The same as facts, when the stage runner gave the reason: reports word it in their language. */
  reasonFact: stageReasonFactSchema.optional(),
  /** Target (configured) and peak (reached) virtual users. */
  users: count,
  peakUsers: count,
  startedAt: text,
  durationMs: num,
  endpoints: z.array(endpointStatsSchema).max(1000),
  /** The same statistics over every endpoint ("Aggregated" in Locust). */
  total: endpointStatsSchema,
  timeline: z.array(timelinePointSchema).max(100_000),
  /** `open` when iterations arrived at a fixed rate (`stages.ramp.rate`), else closed (users). */
  model: z.literal('open').optional(),
  /** Open model: the iterations per second asked for, and those dropped for lack of a free user. */
  targetRate: num.optional(),
  droppedIterations: count.optional(),
  /** `scenario.data` ran out of rows (`when-exhausted: stop`): no more users were started. */
  dataExhausted: z.literal(true).optional(),
  /**
   * A remark on how the stage ran, as written (reports of earlier versions); the report words
   * its own remarks from the facts (`dataExhausted`, `workers`, `generatorProcesses`).
   */
  note: text.optional(),
  /** Exceptions raised by the load script itself (Locust), not by the API. */
  exceptions: z
    .array(z.object({ message: text, count, traceback: text }))
    .max(1000)
    .optional(),
  /** Locust's distributed mode: what the master heard from each worker. */
  workers: z.array(workerReportSchema).max(1000).optional(),
  /** Locust: CPU of each generator process of the stage (master, local workers), % of one core. */
  generatorProcesses: z
    .array(z.object({ process: text, cpuPercent: num }))
    .max(1000)
    .optional(),
  /** Ramp only: the same statistics over the hold period (after every user was started). */
  hold: z
    .object({
      startedAtSecond: num,
      endpoints: z.array(endpointStatsSchema).max(1000),
      total: endpointStatsSchema,
    })
    .optional(),
});
export type StageResult = z.infer<typeof stageResultSchema>;

export const generatorStatsSchema = z.object({
  /** CPU used by the load generator process during the run, percent of one core. */
  cpuPercent: num,
  /** Worst event-loop delay observed (ms); high values mean latencies are not the server's. */
  maxEventLoopLagMs: num,
});
export type GeneratorStats = z.infer<typeof generatorStatsSchema>;

/**
 * What a probe changed in a refused request, to test one hypothesis of its cause: the body sent
 * as the other media type, the token sent with another scheme, the login's token (a captured
 * variable) instead of a fixed one, a field sent under the name the API asks for.
 */
/** An HTTP authentication scheme (RFC 9110's token): `Bearer`, `Token`. */
const authScheme = token(/^[A-Za-z][\w!#$%&'*+.^`|~-]*$/);

export const probeHypothesisSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('body'), body: z.enum(['json', 'form']) }),
  z.object({ kind: z.literal('scheme'), scheme: authScheme }),
  z.object({ kind: z.literal('login-token'), scheme: authScheme, variable: token(/^[\w.-]+$/) }),
  z.object({ kind: z.literal('field'), from: text, to: text }),
]);
export type ProbeHypothesis = z.infer<typeof probeHypothesisSchema>;

/** One probe: the refused step re-sent once, changed as its hypothesis says, and the answer. */
export const probeOutcomeSchema = z.object({
  /** The step of loadgate.yml that was refused (`scenario.setup[0]`), and its endpoint. */
  stepPath: text,
  endpoint: text,
  hypothesis: probeHypothesisSchema,
  /** The status the changed request got (0: no response), and whether it was accepted. */
  status: num,
  confirmed: z.boolean(),
});
export type ProbeOutcome = z.infer<typeof probeOutcomeSchema>;

export const runResultSchema = z.object({
  engine: text,
  startedAt: text,
  durationMs: num,
  stages: z.array(stageResultSchema).max(2),
  generator: generatorStatsSchema,
  /** The scenario checked against the API's OpenAPI document before the smoke stage. */
  openapi: openApiEvidenceSchema.optional(),
  /** Refused requests re-sent after the smoke stage to confirm a cause (`diagnose.probes`). */
  probes: z.array(probeOutcomeSchema).max(10).optional(),
});
export type RunResult = z.infer<typeof runResultSchema>;
