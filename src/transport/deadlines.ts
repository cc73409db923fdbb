/** A request timed out as a whole (a body trickling in byte by byte never trips bodyTimeout). */
export class RequestTimeoutError extends Error {
  readonly code = 'LOADGATE_REQUEST_TIMEOUT';
}

/** Something with a deadline (a connection with a request in flight; Infinity when idle). */
export interface Expirable {
  readonly deadline: number;
  expire(): void;
}

/**
 * Whole-request deadlines for a stage, swept a few times a second: one timer for the stage and
 * no allocation per request (each connection registers once and updates its own deadline).
 * undici's headers/body timeouts stay in force for the common cases.
 */
export class Deadlines {
  private readonly members = new Set<Expirable>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly now: () => number = () => performance.now(),
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => this.sweep(), intervalMs);
    this.timer.unref();
  }

  add(member: Expirable): void {
    this.members.add(member);
  }

  private sweep(): void {
    const now = this.now();
    for (const member of this.members) if (now >= member.deadline) member.expire();
  }

  close(): void {
    clearInterval(this.timer);
    this.members.clear();
  }
}
