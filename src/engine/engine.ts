import type { Config } from '../config/schema.js';
import type {
  LatencyStats,
  RunResult,
  StageName,
  StageReasonFact,
  StageResult,
} from '../model/run-result.js';

/** One stage to run: `smoke` runs a fixed number of iterations per user; `ramp` runs for a duration. */
export type StageSpec =
  | { name: 'smoke'; users: number; iterations: number }
  | {
      name: 'ramp';
      /** Closed model: users started at spawnRate; open model (`rate`): the most users running at once. */
      users: number;
      spawnRate: number;
      durationMs: number;
      /** Open model: iterations started per second, whatever the latency. */
      rate?: number | undefined;
      /** Stop the stage once this many requests failed. */
      maxFailures?: number | undefined;
    };

/** Events an engine emits while it runs (consumed by the progress printer; never awaited). */
export type EngineEvent =
  | { type: 'stage-start'; stage: StageName; users: number }
  | {
      type: 'tick';
      stage: StageName;
      second: number;
      users: number;
      requests: number;
      failures: number;
      p95: number;
    }
  | { type: 'stage-end'; stage: StageName; result: StageResult };

export interface EngineContext {
  /** Base URL of the API under test, without a trailing slash. */
  target: string;
  scenario: Config['scenario'];
  /** Environment for `${env.NAME}` templating (process.env by default in the wiring). */
  env: Record<string, string | undefined>;
  /** `scenario.data` rows, one per virtual user, and what happens when they run out. */
  data?: { rows: Record<string, string>[]; whenExhausted: 'cycle' | 'stop' } | undefined;
  /** Folder that files of the scenario (multipart uploads) resolve from. */
  baseDir?: string | undefined;
  /** Aborting stops the current stage at once; its result is marked `aborted`. */
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
  /**
   * Asked once a second during the ramp with the running totals; a returned reason stops the
   * stage at once (status `aborted`): `thresholds.abort-on-fail`.
   */
  watch?: (snapshot: RunningSnapshot) => StageReasonFact | undefined;
}

/** The ramp's figures so far, for `watch`. */
export interface RunningSnapshot {
  elapsedMs: number;
  requests: number;
  failures: number;
  rps: number;
  latency: LatencyStats;
}

/** Turns a scenario + one stage into a StageResult. Implementations: builtin (undici), locust. */
export interface Engine {
  readonly name: string;
  runStage(stage: StageSpec, context: EngineContext): Promise<StageResult>;
  /** CPU and event-loop figures of the generator over everything it ran. */
  generatorStats(): RunResult['generator'];
}
