/** One sample of the stack's whole process group. */
export interface ResourceSample {
  /** Seconds since the stack started. */
  second: number;
  /** CPU used by the group since the previous sample, percent of one core. */
  cpuPercent: number;
  /** Resident memory of the group, MiB. */
  rssMb: number;
  processes: number;
}

/** One container's line of `docker stats --no-stream` (compose stacks). */
export interface ContainerStats {
  name: string;
  cpuPercent: number;
  /** As docker prints it: "123.4MiB / 7.6GiB". */
  memory: string;
  memoryPercent: number;
}

/** What the stack stage observed; evidence for the gate, diagnosis and report. */
export interface StackEvidence {
  /** The start command, as configured (secrets are not expected here, but it is redacted anyway). */
  command: string;
  started: boolean;
  ready: boolean;
  /** Time from start to ready (ms). */
  readyAfterMs?: number;
  /** Set when the stack process exited by itself (before teardown). */
  exit?: { code: number | null; signal: string | null; atMs: number };
  /** Set when readiness failed, with the reason ("timed out after 60s waiting for ..."). */
  error?: string;
  /** Set when the target's port was already taken before the stack started. */
  portInUse?: number;
  logPath?: string;
  /** CPU and memory of the stack's process group, one sample a second. */
  resources?: ResourceSample[];
  /** Per-container CPU and memory at the end of the run, for stacks started with docker. */
  containers?: ContainerStats[];
  /** Last lines of the stack's log, redacted. */
  logTail: string[];
}
