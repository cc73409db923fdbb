import { z } from 'zod';
import { count, num, text, token } from './json-values.js';

/** One sample of the stack's whole process group. */
export const resourceSampleSchema = z.object({
  /** Seconds since the stack started. */
  second: num,
  /** CPU used by the group since the previous sample, percent of one core. */
  cpuPercent: num,
  /**
   * The busiest single process's share of it, percent of one core: a single-threaded server
   * (Node, one uvicorn worker) is saturated at ~100% whatever the group's total.
   */
  busiestProcessCpuPercent: num.optional(),
  /**
   * The busiest main thread of the group: percent of the interval it spent on a CPU or waiting
   * for one (Linux schedstat). Near 100% it never idled: saturated, even when the machine's other
   * load kept it from a full core.
   */
  busiestThreadBusyPercent: num.optional(),
  /** Resident memory of the group, MiB. */
  rssMb: num,
  processes: count,
});
export type ResourceSample = z.infer<typeof resourceSampleSchema>;

/** One reading of a container's CPU and memory (docker stats). */
export const serviceSampleSchema = z.object({
  /** Seconds since the stack started. */
  second: num,
  /** Percent of one core. */
  cpuPercent: num,
  memoryMb: num,
});
export type ServiceSample = z.infer<typeof serviceSampleSchema>;

/** Something that happened to a container during the run (docker events). */
export const containerEventSchema = z.object({
  /** Milliseconds after the stack started. */
  atMs: num,
  /** die, oom, restart, start, health_status: healthy, ... */
  action: text,
  exitCode: num.optional(),
});
export type ContainerEvent = z.infer<typeof containerEventSchema>;

/** A compose service's container, watched for the whole run. */
export const serviceEvidenceSchema = z.object({
  /** The compose service (`com.docker.compose.service`). */
  service: text,
  container: text,
  /** State at the end of the run, before teardown: running, exited, restarting, dead. */
  state: text,
  exitCode: num.optional(),
  oomKilled: z.boolean().optional(),
  restarts: count.optional(),
  /** healthy, unhealthy, starting: only when the service has a healthcheck. */
  health: text.optional(),
  events: z.array(containerEventSchema).max(1000),
  /** CPU and memory over time, one reading a second while it ran. */
  samples: z.array(serviceSampleSchema).max(100_000),
  peakCpuPercent: num.optional(),
  peakMemoryMb: num.optional(),
  /** The container's log (`docker logs --timestamps`) beside the report, when collected. */
  logPath: text.optional(),
  /** Last lines of its log up to the end of the load (teardown excluded), redacted. */
  logTail: z.array(text).max(10_000),
});
export type ServiceEvidence = z.infer<typeof serviceEvidenceSchema>;

/** A container that stopped during a stage: the stage was stopped as for a crash. */
export const containerCrashSchema = z.object({
  service: text,
  container: text,
  /** exited, restarted, oom-killed */
  kind: z.enum(['exited', 'restarted', 'oom-killed']),
  exitCode: num.optional(),
  oomKilled: z.boolean(),
  /** Milliseconds after the stack started. */
  atMs: num,
});
export type ContainerCrash = z.infer<typeof containerCrashSchema>;

/** Why the compose project's containers could not be watched, as facts (the report words them). */
export const composeProblemFactSchema = z.discriminatedUnion('kind', [
  /** The docker CLI is not installed or not on PATH. */
  z.object({ kind: z.literal('no-cli') }),
  /** The Docker daemon does not answer; `output` is docker's first line. */
  z.object({ kind: z.literal('daemon-down'), output: text }),
  z.object({ kind: z.literal('docker-failed'), code: num, output: text }),
  /** No container has the project's label (`com.docker.compose.project=shop`). */
  z.object({ kind: z.literal('no-labelled-container'), label: text }),
]);
export type ComposeProblemFact = z.infer<typeof composeProblemFactSchema>;

/** The docker compose project of the stack, found by its `com.docker.compose.project` label. */
export const composeEvidenceSchema = z.object({
  project: text,
  /** How the project name was found: the config key, the start command, the env, the folder. */
  source: text,
  /** Containers, networks and volumes of the project still there after `stack.stop`, removed. */
  leftovers: z.array(text).max(1000).optional(),
  /** Why the containers could not be watched (docker missing, no container with the label). */
  problem: text.optional(),
  /** The same as facts. */
  problemFact: composeProblemFactSchema.optional(),
});
export type ComposeEvidence = z.infer<typeof composeEvidenceSchema>;

/** Why the last readiness check did not pass (the report words it). */
export const readyCheckFactSchema = z.discriminatedUnion('kind', [
  /** The deadline came before any check was made. */
  z.object({ kind: z.literal('none') }),
  /** `stack.ready-log`: no line of the stack's log matched it yet. */
  z.object({ kind: z.literal('log-pattern'), pattern: text }),
  /** The probe answered with another status; `expected` absent: any 2xx. */
  z.object({
    kind: z.literal('status'),
    url: text,
    status: num,
    expected: z.array(num).max(100).optional(),
  }),
  /** No answer from `url` (`tcp://host:port` for a TCP probe): an error code, or `timeout`. */
  z.object({ kind: z.literal('no-answer'), url: text, error: text }),
]);
export type ReadyCheckFact = z.infer<typeof readyCheckFactSchema>;

/** Why the stack did not start or never became ready, as facts (the report words them). */
export const stackErrorFactSchema = z.discriminatedUnion('kind', [
  /** The target's port was taken before the stack started. */
  z.object({ kind: z.literal('port-in-use'), port: num }),
  /** Docker is needed for the compose project and is not usable. */
  z.object({
    kind: z.literal('docker-unavailable'),
    project: text,
    problem: composeProblemFactSchema,
  }),
  /** The start command exited (not with code 0) before the stack became ready. */
  z.object({
    kind: z.literal('exited'),
    code: num.nullable(),
    signal: token(/^\w*$/).nullable(),
  }),
  /** `stack.ready-timeout` passed; `detached`: the start command had returned with code 0. */
  z.object({
    kind: z.literal('not-ready'),
    timeoutMs: num,
    detached: z.boolean(),
    lastCheck: readyCheckFactSchema,
  }),
  /** The run was stopped while waiting; `why` as the stop said it. */
  z.object({ kind: z.literal('stopped'), why: text }),
]);
export type StackErrorFact = z.infer<typeof stackErrorFactSchema>;

/** What the stack stage observed; evidence for the gate, diagnosis and report. */
export const stackEvidenceSchema = z.object({
  /** The start command, as configured (secrets are not expected here, but it is redacted anyway). */
  command: text,
  started: z.boolean(),
  ready: z.boolean(),
  /** Time from start to ready (ms). */
  readyAfterMs: num.optional(),
  /** Set when the stack process exited by itself (before teardown). */
  exit: z.object({ code: num.nullable(), signal: token(/^\w*$/).nullable(), atMs: num }).optional(),
  /** The start command returned with exit code 0 and the stack ran in the background (`up -d`). */
  detached: z.boolean().optional(),
  /** Set when the stack did not start or never became ready: why, in English (for logs). */
  error: text.optional(),
  /** The same, as facts: the report words it in its locale. */
  errorFact: stackErrorFactSchema.optional(),
  /** Set when the target's port was already taken before the stack started. */
  portInUse: num.optional(),
  logPath: text.optional(),
  /** CPU and memory of the stack's process group, one sample a second. */
  resources: z.array(resourceSampleSchema).max(100_000).optional(),
  /** The compose project, when the stack is one. */
  compose: composeEvidenceSchema.optional(),
  /** Per compose service: state, health, events, CPU and memory, log tail. */
  services: z.array(serviceEvidenceSchema).max(1000).optional(),
  /** A container that exited, restarted or was OOM-killed during a stage. */
  containerCrash: containerCrashSchema.optional(),
  /** Last lines of the stack's log up to the end of the load (teardown excluded), redacted. */
  logTail: z.array(text).max(10_000),
  /** Output of `stack.stop` (and `stack.logs`), kept apart: never read as evidence. */
  teardownTail: z.array(text).max(10_000).optional(),
});
export type StackEvidence = z.infer<typeof stackEvidenceSchema>;
