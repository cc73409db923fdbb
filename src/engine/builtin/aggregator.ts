import { build, type Histogram } from 'hdr-histogram-js';
import type { RunningSnapshot } from '../engine.js';
import type {
  EndpointStats,
  ErrorGroup,
  ErrorKind,
  HttpSample,
  TimelinePoint,
} from '../../model/run-result.js';

/** Latencies are recorded in microseconds (up to an hour), reported in milliseconds. */
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

/** Status codes counted in an array (0 = no response); anything else in a map. */
const STATUS_SLOTS = 600;

/** The statistics of one endpoint (or of the total, merged from the endpoints). */
class EndpointAggregate {
  readonly histogram = histogram();
  requests = 0;
  failures = 0;
  bytesReceived = 0;
  bytesSent = 0;
  private readonly statuses = new Float64Array(STATUS_SLOTS);
  private readonly otherStatuses = new Map<number, number>();
  readonly errors = new Map<string, ErrorGroup>();

  constructor(
    readonly name: string,
    readonly method: string,
  ) {}

  /** `status` undefined: the request was never sent (it has no latency and no status). */
  record(
    latencyUs: number,
    status: number | undefined,
    bytesReceived: number,
    bytesSent: number,
    failed: boolean,
  ): void {
    this.requests++;
    if (failed) this.failures++;
    if (status === undefined) return;
    this.bytesReceived += bytesReceived;
    this.bytesSent += bytesSent;
    if (status >= 0 && status < STATUS_SLOTS)
      this.statuses[status] = (this.statuses[status] as number) + 1;
    else this.otherStatuses.set(status, (this.otherStatuses.get(status) ?? 0) + 1);
    this.histogram.recordValue(latencyUs);
  }

  /** The figures so far, errors left out (a mark to take `since` from later). */
  copy(): EndpointAggregate {
    const copy = new EndpointAggregate(this.name, this.method);
    this.addTo(copy);
    return copy;
  }

  /**
   * What was recorded after `mark` (a `copy` of this aggregate taken earlier), errors left out.
   * The latency distribution's buckets are exact; its min and max are those of their buckets
   * (3 significant digits) where the extreme was recorded before the mark.
   */
  since(mark: EndpointAggregate): EndpointAggregate {
    const later = this.copy();
    later.requests -= mark.requests;
    later.failures -= mark.failures;
    later.bytesReceived -= mark.bytesReceived;
    later.bytesSent -= mark.bytesSent;
    for (let s = 0; s < STATUS_SLOTS; s++)
      later.statuses[s] = (later.statuses[s] as number) - (mark.statuses[s] as number);
    for (const [s, n] of mark.otherStatuses) {
      const left = (later.otherStatuses.get(s) ?? 0) - n;
      if (left > 0) later.otherStatuses.set(s, left);
      else later.otherStatuses.delete(s);
    }
    later.histogram.subtract(mark.histogram);
    return later;
  }

  /** Adds this endpoint's figures to `total` (errors stay per endpoint). */
  addTo(total: EndpointAggregate): void {
    total.requests += this.requests;
    total.failures += this.failures;
    total.bytesReceived += this.bytesReceived;
    total.bytesSent += this.bytesSent;
    for (let s = 0; s < STATUS_SLOTS; s++)
      total.statuses[s] = (total.statuses[s] as number) + (this.statuses[s] as number);
    for (const [s, n] of this.otherStatuses) {
      total.otherStatuses.set(s, (total.otherStatuses.get(s) ?? 0) + n);
    }
    total.histogram.add(this.histogram);
  }

  statusCodes(): Record<string, number> {
    const codes: [number, number][] = [];
    for (let s = 0; s < STATUS_SLOTS; s++) {
      const n = this.statuses[s] as number;
      if (n > 0) codes.push([s, n]);
    }
    codes.push(...this.otherStatuses);
    return Object.fromEntries(codes.sort(([a], [b]) => a - b).map(([s, n]) => [String(s), n]));
  }

  stats(durationMs: number): EndpointStats {
    const h = this.histogram;
    const seconds = Math.max(durationMs, 1) / 1000;
    const empty = h.totalCount === 0;
    return {
      name: this.name,
      method: this.method,
      requests: this.requests,
      failures: this.failures,
      latency: {
        min: empty ? 0 : ms(h.minNonZeroValue),
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
      statusCodes: this.statusCodes(),
      errors: [...this.errors.values()].sort((a, b) => b.count - a.count),
    };
  }
}

/**
 * Statistics of one stage, fed one request at a time: per endpoint, in total (merged from the
 * endpoints when asked), over the hold period of a ramp, and as a per-second timeline. Separate
 * from measuring: the virtual users only call `record` (and `addSample` for the first failure
 * of a group). A request is recorded once, in its endpoint's figures: a second's distribution
 * is the endpoints' merged now less what they held at the last tick, the hold's is each
 * endpoint's less a copy taken when it began (one histogram record a request, not three).
 */
export class StageAggregator {
  private readonly endpoints: EndpointAggregate[];
  /** Set once every user was started (ramp): the endpoints as they were then. */
  private hold:
    { marks: EndpointAggregate[]; startedAtSecond: number; startedAtMs: number } | undefined;
  /** Every endpoint's latencies merged, as of the last tick, and now (reused each tick). */
  private atLastTick = histogram();
  private atTick = histogram();
  /** The latencies of the second being closed (reused each tick). */
  private readonly second = histogram();
  private secondRequests = 0;
  private secondFailures = 0;
  private requests = 0;
  private failures = 0;
  readonly timeline: TimelinePoint[] = [];

  constructor(endpoints: { name: string; method: string }[]) {
    this.endpoints = endpoints.map((e) => new EndpointAggregate(e.name, e.method));
  }

  /**
   * One request: its latency from just before dispatch to the end of the body; its status (0 =
   * no response, undefined = never sent); its failure message (the group key), if it failed.
   */
  record(
    endpoint: number,
    latencyUs: number,
    status: number | undefined,
    bytesReceived: number,
    bytesSent: number,
    failure: string | undefined,
  ): void {
    const failed = failure !== undefined;
    const aggregate = this.endpoints[endpoint] as EndpointAggregate;
    aggregate.record(latencyUs, status, bytesReceived, bytesSent, failed);
    this.requests++;
    this.secondRequests++;
    if (failed) {
      this.failures++;
      this.secondFailures++;
      const group = aggregate.errors.get(failure);
      if (group) group.count++;
    }
  }

  /** True when the failure group has no sample yet: only then is one built. */
  wantsSample(endpoint: number, message: string): boolean {
    return !(this.endpoints[endpoint] as EndpointAggregate).errors.has(message);
  }

  /** Opens a failure group with its sample (call before `record` of its first occurrence). */
  addSample(
    endpoint: number,
    message: string,
    kind: ErrorKind,
    status: number | undefined,
    sample: HttpSample,
  ): void {
    const group: ErrorGroup = {
      message,
      kind,
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
      marks: this.endpoints.map((e) => e.copy()),
      startedAtSecond: this.timeline.length,
      startedAtMs: elapsedMs,
    };
  }

  /** Closes the current one-second bucket into a timeline point. */
  tick(second: number, users: number): TimelinePoint {
    const { atTick, atLastTick } = this;
    atTick.reset();
    for (const endpoint of this.endpoints) atTick.add(endpoint.histogram);
    this.second.reset();
    this.second.add(atTick);
    this.second.subtract(atLastTick);
    this.atLastTick = atTick;
    this.atTick = atLastTick;
    const point: TimelinePoint = {
      second,
      users,
      rps: this.secondRequests,
      failuresPerSecond: this.secondFailures,
      p50: ms(this.second.getValueAtPercentile(50)),
      p95: ms(this.second.getValueAtPercentile(95)),
      p99: ms(this.second.getValueAtPercentile(99)),
    };
    this.timeline.push(point);
    this.secondRequests = 0;
    this.secondFailures = 0;
    return point;
  }

  result(durationMs: number): {
    endpoints: EndpointStats[];
    total: EndpointStats;
    hold?: { startedAtSecond: number; endpoints: EndpointStats[]; total: EndpointStats };
  } {
    const { endpoints, total } = summarize(this.endpoints, durationMs);
    if (!this.hold) return { endpoints, total };
    const { marks } = this.hold;
    const held = summarize(
      this.endpoints.map((e, i) => e.since(marks[i] as EndpointAggregate)),
      durationMs - this.hold.startedAtMs,
    );
    return { endpoints, total, hold: { startedAtSecond: this.hold.startedAtSecond, ...held } };
  }

  /** Running totals of the stage so far (abort-on-fail reads them once a second). */
  snapshot(elapsedMs: number): RunningSnapshot {
    const stats = merged(this.endpoints).stats(elapsedMs);
    return {
      elapsedMs,
      requests: stats.requests,
      failures: stats.failures,
      rps: stats.rps,
      latency: stats.latency,
    };
  }

  get totals(): { requests: number; failures: number } {
    return { requests: this.requests, failures: this.failures };
  }
}

function merged(endpoints: EndpointAggregate[]): EndpointAggregate {
  const total = new EndpointAggregate('Aggregated', '');
  for (const endpoint of endpoints) endpoint.addTo(total);
  return total;
}

function summarize(
  aggregates: EndpointAggregate[],
  durationMs: number,
): { endpoints: EndpointStats[]; total: EndpointStats } {
  const endpoints = aggregates.map((e) => e.stats(durationMs));
  const total = merged(aggregates).stats(durationMs);
  total.errors = endpoints.flatMap((e) => e.errors).sort((a, b) => b.count - a.count);
  return { endpoints, total };
}
