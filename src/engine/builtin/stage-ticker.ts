import { errorMessage } from '../../shared/errors.js';
import type { StageReasonFact } from '../../model/run-result.js';
import type { EngineContext, EngineEvent, StageSpec } from '../engine.js';
import type { StageAggregator } from './aggregator.js';
import type { StageSchedule } from './stage-schedule.js';
import type { StageUsers } from './stage-users.js';

export interface TickerOptions {
  spec: StageSpec;
  context: EngineContext;
  aggregator: StageAggregator;
  users: StageUsers;
  schedule: StageSchedule;
  emit: (event: EngineEvent) => void;
  /** Stops the stage with this reason (a ramp's `max-failures`, or what `watch` says). */
  abortStage: (reason: string | StageReasonFact) => void;
}

/**
 * The stage's clock of whole seconds: each second a timeline point and a `tick` event, and in a
 * ramp still running, whether it must stop now. `stop` ends it; `finish` adds the last, partial
 * second.
 */
export class StageTicker {
  private second = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: TickerOptions) {
    this.timer = setInterval(() => this.tick(), 1000);
  }

  private tick(): void {
    const { spec, context, aggregator, users, schedule, emit, abortStage } = this.options;
    this.second++;
    const point = aggregator.tick(this.second, users.active);
    emit({
      type: 'tick',
      stage: spec.name,
      second: this.second,
      users: users.active,
      requests: point.rps,
      failures: point.failuresPerSecond,
      p95: point.p95,
    });
    if (spec.name === 'ramp' && !schedule.stop.aborted) {
      const reason = stopReason(spec, aggregator, context, schedule.clock() - schedule.start);
      if (reason !== undefined) abortStage(reason);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The timeline's last point when the stage ran into a second the ticker did not reach. */
  finish(durationMs: number): void {
    const elapsedSeconds = durationMs / 1000;
    if (elapsedSeconds > this.second) {
      this.options.aggregator.tick(Math.ceil(elapsedSeconds), this.options.users.active);
    }
  }
}

/** Why a running ramp must stop now: `max-failures` reached, or what `watch` says. */
function stopReason(
  spec: Extract<StageSpec, { name: 'ramp' }>,
  aggregator: StageAggregator,
  context: EngineContext,
  elapsedMs: number,
): string | StageReasonFact | undefined {
  const { failures } = aggregator.totals;
  if (spec.maxFailures !== undefined && failures >= spec.maxFailures) {
    return { kind: 'max-failures', failures, limit: spec.maxFailures };
  }
  if (!context.watch) return undefined;
  try {
    return context.watch(aggregator.snapshot(elapsedMs));
  } catch (error) {
    return `stopped: the running check failed (${errorMessage(error)})`;
  }
}
