/** When a stage started and when it must stop: what the load models schedule against. */
export interface StageSchedule {
  /** The stage's start, on `clock` (ms). */
  start: number;
  clock: () => number;
  /** Aborted at the end of the stage (its duration, a stop reason, the run's signal). */
  stop: AbortSignal;
}
