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
  logPath?: string;
  /** Last lines of the stack's log, redacted. */
  logTail: string[];
}
