/** One sample of the stack's whole process group. */
export interface ResourceSample {
  /** Seconds since the stack started. */
  second: number;
  /** CPU used by the group since the previous sample, percent of one core. */
  cpuPercent: number;
  /**
   * The busiest single process's share of it, percent of one core: a single-threaded server
   * (Node, one uvicorn worker) is saturated at ~100% whatever the group's total.
   */
  busiestProcessCpuPercent?: number;
  /**
   * The busiest main thread of the group: percent of the interval it spent on a CPU or waiting
   * for one (Linux schedstat). Near 100% it never idled: saturated, even when the machine's other
   * load kept it from a full core.
   */
  busiestThreadBusyPercent?: number;
  /** Resident memory of the group, MiB. */
  rssMb: number;
  processes: number;
}

/** One reading of a container's CPU and memory (docker stats). */
export interface ServiceSample {
  /** Seconds since the stack started. */
  second: number;
  /** Percent of one core. */
  cpuPercent: number;
  memoryMb: number;
}

/** Something that happened to a container during the run (docker events). */
export interface ContainerEvent {
  /** Milliseconds after the stack started. */
  atMs: number;
  /** die, oom, restart, start, health_status: healthy, ... */
  action: string;
  exitCode?: number;
}

/** A compose service's container, watched for the whole run. */
export interface ServiceEvidence {
  /** The compose service (`com.docker.compose.service`). */
  service: string;
  container: string;
  /** State at the end of the run, before teardown: running, exited, restarting, dead. */
  state: string;
  exitCode?: number;
  oomKilled?: boolean;
  restarts?: number;
  /** healthy, unhealthy, starting: only when the service has a healthcheck. */
  health?: string;
  events: ContainerEvent[];
  /** CPU and memory over time, one reading a second while it ran. */
  samples: ServiceSample[];
  peakCpuPercent?: number;
  peakMemoryMb?: number;
  /** The container's log (`docker logs --timestamps`) beside the report, when collected. */
  logPath?: string;
  /** Last lines of its log up to the end of the load (teardown excluded), redacted. */
  logTail: string[];
}

/** A container that stopped during a stage: the stage was stopped as for a crash. */
export interface ContainerCrash {
  service: string;
  container: string;
  /** exited, restarted, oom-killed */
  kind: 'exited' | 'restarted' | 'oom-killed';
  exitCode?: number;
  oomKilled: boolean;
  /** Milliseconds after the stack started. */
  atMs: number;
}

/** The docker compose project of the stack, found by its `com.docker.compose.project` label. */
export interface ComposeEvidence {
  project: string;
  /** How the project name was found: the config key, the start command, the env, the folder. */
  source: string;
  /** Containers, networks and volumes of the project still there after `stack.stop`, removed. */
  leftovers?: string[];
  /** Why the containers could not be watched (docker missing, no container with the label). */
  problem?: string;
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
  /** The start command returned with exit code 0 and the stack ran in the background (`up -d`). */
  detached?: boolean;
  /** Set when readiness failed, with the reason ("timed out after 60s waiting for ..."). */
  error?: string;
  /** Set when the target's port was already taken before the stack started. */
  portInUse?: number;
  logPath?: string;
  /** CPU and memory of the stack's process group, one sample a second. */
  resources?: ResourceSample[];
  /** The compose project, when the stack is one. */
  compose?: ComposeEvidence;
  /** Per compose service: state, health, events, CPU and memory, log tail. */
  services?: ServiceEvidence[];
  /** A container that exited, restarted or was OOM-killed during a stage. */
  containerCrash?: ContainerCrash;
  /** Last lines of the stack's log up to the end of the load (teardown excluded), redacted. */
  logTail: string[];
  /** Output of `stack.stop` (and `stack.logs`), kept apart: never read as evidence. */
  teardownTail?: string[];
}
