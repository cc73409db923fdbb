/** What each engine is built with (from `resolveEngine`, the only translation of the config). */
export type EngineOptions = { engine: 'builtin' } | { engine: 'locust'; locust: LocustOptions };

/** The Locust engine's options. */
export interface LocustOptions {
  /** A user's locustfile (absolute); else one is generated from the scenario. */
  locustfile?: string;
  /** Distributed mode: this many local worker processes under one master. */
  workers?: number;
  /** Distributed mode: wait for this many workers in all (local + remote) before starting. */
  expectWorkers?: number;
  /** Where the master listens for workers ("0.0.0.0:5557" lets remote workers join). */
  masterBind?: { host: string; port: number };
  /** The locust command; default: Debian's /usr/bin/locust when present, else `locust` on PATH. */
  command?: string;
  /** Distributed: how long the master waits for `expectWorkers` (default 60 s; 300 s with remote workers). */
  workersWaitSeconds?: number;
}
