/**
 * The result model: the engine-agnostic contract between the engine and every later stage
 * (gate, diagnose, report). Plain data only, JSON-serialisable. Latencies are in milliseconds.
 */

export type StageName = 'smoke' | 'ramp';

export interface LatencyStats {
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
}

/** One redacted request/response pair kept as evidence for a group of errors. */
export interface HttpSample {
  request: {
    method: string;
    url: string;
    headers: Record<string, string>;
    body?: string;
  };
  /** Absent when no HTTP response was received (connection refused, reset, timeout). */
  response?: {
    status: number;
    headers: Record<string, string>;
    body: string;
    /** True when `body` was cut to the sample limit. */
    truncated: boolean;
  };
}

/** Failures grouped by endpoint + message (e.g. "HTTP 422", "ECONNREFUSED", "check status"). */
export interface ErrorGroup {
  message: string;
  /** The HTTP status when the failure carried one. */
  status?: number;
  count: number;
  /** Index of the one-second timeline bucket where the first occurrence fell (0 = first second). */
  firstSecond?: number;
  sample: HttpSample;
}

export interface EndpointStats {
  /** Locust-style name: "POST /token", or the request's `name`. "Aggregated" for the total. */
  name: string;
  method: string;
  requests: number;
  failures: number;
  latency: LatencyStats;
  /** Bytes received (response bodies). */
  bytesReceived: number;
  bytesSent: number;
  /** Requests and failures per second over the stage duration. */
  rps: number;
  failuresPerSecond: number;
  /** Status code → count; "0" counts requests that got no HTTP response. */
  statusCodes: Record<string, number>;
  errors: ErrorGroup[];
  /**
   * The latency distribution as 201 quantiles (0%, 0.5%, ... 100%, in ms): what a later run
   * compares with to tell a regression from noise.
   */
  quantiles?: number[];
}

export interface TimelinePoint {
  /** Seconds since the start of the stage (end of the one-second bucket). */
  second: number;
  users: number;
  rps: number;
  failuresPerSecond: number;
  p50: number;
  p95: number;
  /** Absent in reports written before it was recorded. */
  p99?: number;
}

export type StageStatus = 'completed' | 'failed' | 'skipped' | 'aborted';

export interface StageResult {
  name: StageName;
  status: StageStatus;
  /** Why the stage was skipped, aborted or failed, in one sentence. */
  reason?: string;
  /** Target (configured) and peak (reached) virtual users. */
  users: number;
  peakUsers: number;
  startedAt: string;
  durationMs: number;
  endpoints: EndpointStats[];
  /** The same statistics over every endpoint ("Aggregated" in Locust). */
  total: EndpointStats;
  timeline: TimelinePoint[];
  /** `open` when iterations arrived at a fixed rate (`stages.ramp.rate`), else closed (users). */
  model?: 'open';
  /** Open model: the iterations per second asked for, and those dropped for lack of a free user. */
  targetRate?: number;
  droppedIterations?: number;
  /** Anything the reader should know about how the stage ran. */
  note?: string;
  /** Exceptions raised by the load script itself (Locust), not by the API. */
  exceptions?: { message: string; count: number; traceback: string }[];
  /** Locust's distributed mode: what the master heard from each worker. */
  workers?: WorkerReport[];
  /** Locust: CPU of each generator process of the stage (master, local workers), % of one core. */
  generatorProcesses?: { process: string; cpuPercent: number }[];
  /** Ramp only: the same statistics over the hold period (after every user was started). */
  hold?: { startedAtSecond: number; endpoints: EndpointStats[]; total: EndpointStats };
}

/** One Locust worker of a distributed stage. */
export interface WorkerReport {
  id: string;
  /** The most users it ran at once, and the requests it reported. */
  users: number;
  requests: number;
  /** Locust's last state for it ("stopped", "missing": it stopped sending heartbeats). */
  state: string;
  /** A local worker that exited with an error. */
  exitCode?: number;
  error?: string;
}

export interface GeneratorStats {
  /** CPU used by the load generator process during the run, percent of one core. */
  cpuPercent: number;
  /** Worst event-loop delay observed (ms); high values mean latencies are not the server's. */
  maxEventLoopLagMs: number;
}

export interface RunResult {
  engine: string;
  startedAt: string;
  durationMs: number;
  stages: StageResult[];
  generator: GeneratorStats;
}
