import { build, type Histogram } from 'hdr-histogram-js';
import type { RunningSnapshot } from '../engine.js';
import type {
  EndpointStats,
  ErrorGroup,
  HttpSample,
  TimelinePoint,
} from '../../model/run-result.js';

/** Latencies are recorded in microseconds, reported in milliseconds. */
function histogram(): Histogram {
  return build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

const ms = (us: number) => Math.round(us / 10) / 100;

/** 0, 0.5, 1 ... 100: the percentiles kept to compare distributions across runs. */
const QUANTILES = Array.from({ length: 201 }, (_, i) => i / 2);

class EndpointAggregate {
  readonly histogram = histogram();
  requests = 0;
  failures = 0;
  bytesReceived = 0;
  bytesSent = 0;
  readonly statusCodes = new Map<number, number>();
  readonly errors = new Map<string, ErrorGroup>();

  constructor(
    readonly name: string,
    readonly method: string,
  ) {}

  record(
    latencyUs: number,
    status: number | undefined,
    bytesReceived: number,
    bytesSent: number,
    failed: boolean,
  ) {
    this.requests++;
    if (failed) this.failures++;
    this.bytesReceived += bytesReceived;
    this.bytesSent += bytesSent;
    if (status !== undefined) this.statusCodes.set(status, (this.statusCodes.get(status) ?? 0) + 1);
    this.histogram.recordValue(latencyUs);
  }

  stats(durationMs: number): EndpointStats {
    const h = this.histogram;
    const seconds = Math.max(durationMs, 1) / 1000;
    const empty = this.requests === 0;
    return {
      name: this.name,
      method: this.method,
      requests: this.requests,
      failures: this.failures,
      latency: {
        min: empty ? 0 : ms(h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue),
        max: ms(h.maxValue),
        mean: empty ? 0 : ms(h.mean),
        p50: ms(h.getValueAtPercentile(50)),
        p90: ms(h.getValueAtPercentile(90)),
        p95: ms(h.getValueAtPercentile(95)),
        p99: ms(h.getValueAtPercentile(99)),
      },
      bytesReceived: this.bytesReceived,
      bytesSent: this.bytesSent,
      rps: Math.round((this.requests / seconds) * 100) / 100,
      failuresPerSecond: Math.round((this.failures / seconds) * 100) / 100,
      quantiles: empty ? [] : QUANTILES.map((q) => ms(h.getValueAtPercentile(q))),
      statusCodes: Object.fromEntries(
        [...this.statusCodes].sort(([a], [b]) => a - b).map(([s, n]) => [String(s), n]),
      ),
      errors: [...this.errors.values()].sort((a, b) => b.count - a.count),
    };
  }
}

export interface RequestRecord {
  endpoint: number;
  latencyUs: number;
  /** HTTP status; 0 = no response; undefined = the request was never sent (template error). */
  status: number | undefined;
  bytesReceived: number;
  bytesSent: number;
  /** Failure message (grouping key), undefined on success. */
  failure?: string;
}

/**
 * Statistics of one stage, fed by request records: per endpoint and in total, with a
 * per-second timeline. Separate from measuring: the virtual users only call `record`.
 */
export class StageAggregator {
  private readonly endpoints: EndpointAggregate[];
  private readonly total = new EndpointAggregate('Aggregated', '');
  /** Set once every user was started (ramp): the hold period is also aggregated apart. */
  private hold:
    | {
        endpoints: EndpointAggregate[];
        total: EndpointAggregate;
        startedAtSecond: number;
        startedAtMs: number;
      }
    | undefined;
  private readonly second = histogram();
  private secondRequests = 0;
  private secondFailures = 0;
  readonly timeline: TimelinePoint[] = [];

  constructor(endpoints: { name: string; method: string }[]) {
    this.endpoints = endpoints.map((e) => new EndpointAggregate(e.name, e.method));
  }

  record(r: RequestRecord): void {
    const failed = r.failure !== undefined;
    (this.endpoints[r.endpoint] as EndpointAggregate).record(
      r.latencyUs,
      r.status,
      r.bytesReceived,
      r.bytesSent,
      failed,
    );
    this.total.record(r.latencyUs, r.status, r.bytesReceived, r.bytesSent, failed);
    if (this.hold) {
      (this.hold.endpoints[r.endpoint] as EndpointAggregate).record(
        r.latencyUs,
        r.status,
        r.bytesReceived,
        r.bytesSent,
        failed,
      );
      this.hold.total.record(r.latencyUs, r.status, r.bytesReceived, r.bytesSent, failed);
    }
    this.second.recordValue(r.latencyUs);
    this.secondRequests++;
    if (failed) {
      this.secondFailures++;
      const group = (this.endpoints[r.endpoint] as EndpointAggregate).errors.get(
        r.failure as string,
      );
      if (group) group.count++;
    }
  }

  /** True when the failure group has no sample yet: only then is one built. */
  wantsSample(endpoint: number, message: string): boolean {
    return !(this.endpoints[endpoint] as EndpointAggregate).errors.has(message);
  }

  /** Adds the first occurrence of a failure group, with its sample (call before `record`). */
  addSample(
    endpoint: number,
    message: string,
    status: number | undefined,
    sample: HttpSample,
  ): void {
    const group: ErrorGroup = {
      message,
      count: 0,
      firstSecond: this.timeline.length,
      sample,
      ...(status ? { status } : {}),
    };
    (this.endpoints[endpoint] as EndpointAggregate).errors.set(message, group);
  }

  /** From now on requests also count for the hold period (every user is running). */
  startHold(elapsedMs: number): void {
    this.hold = {
      endpoints: this.endpoints.map((e) => new EndpointAggregate(e.name, e.method)),
      total: new EndpointAggregate('Aggregated', ''),
      startedAtSecond: this.timeline.length,
      startedAtMs: elapsedMs,
    };
  }

  /** Closes the current one-second bucket into a timeline point. */
  tick(second: number, users: number): TimelinePoint {
    const point: TimelinePoint = {
      second,
      users,
      rps: this.secondRequests,
      failuresPerSecond: this.secondFailures,
      p50: ms(this.second.getValueAtPercentile(50)),
      p95: ms(this.second.getValueAtPercentile(95)),
    };
    this.timeline.push(point);
    this.second.reset();
    this.secondRequests = 0;
    this.secondFailures = 0;
    return point;
  }

  result(durationMs: number): {
    endpoints: EndpointStats[];
    total: EndpointStats;
    hold?: { startedAtSecond: number; endpoints: EndpointStats[]; total: EndpointStats };
  } {
    const endpoints = this.endpoints.map((e) => e.stats(durationMs));
    const total = this.total.stats(durationMs);
    total.errors = endpoints.flatMap((e) => e.errors).sort((a, b) => b.count - a.count);
    if (!this.hold) return { endpoints, total };
    const holdMs = durationMs - this.hold.startedAtMs;
    const holdEndpoints = this.hold.endpoints.map((e) => e.stats(holdMs));
    const holdTotal = this.hold.total.stats(holdMs);
    return {
      endpoints,
      total,
      hold: {
        startedAtSecond: this.hold.startedAtSecond,
        endpoints: holdEndpoints,
        total: holdTotal,
      },
    };
  }

  /** Running totals of the stage so far (abort-on-fail reads them once a second). */
  snapshot(elapsedMs: number): RunningSnapshot {
    const stats = this.total.stats(elapsedMs);
    return {
      elapsedMs,
      requests: stats.requests,
      failures: stats.failures,
      rps: stats.rps,
      latency: stats.latency,
    };
  }

  get totals(): { requests: number; failures: number } {
    return { requests: this.total.requests, failures: this.total.failures };
  }
}
