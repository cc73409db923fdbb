import type { StopFact } from '../model/run-result.js';

/** One way to turn anything thrown into a message. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A `${env.NAME}` of the config read at `key` (`scenario.setup[0].request.form.password`). */
export interface SecretRead {
  key: string;
  variable: string;
}

/** A config problem the diagnosis has a finding for, with its facts. */
export type KnownConfigProblem = { findingId: 'config.empty-secret'; reads: SecretRead[] };

/** A configuration problem: reported before anything boots, exit code 2. */
export class ConfigError extends Error {
  /** A finding id when the problem is a known one (e.g. "config.empty-secret"). */
  readonly findingId: string | undefined;
  /** Its facts, for the diagnosis (the message is for people). */
  readonly problem: KnownConfigProblem | undefined;

  constructor(message: string, problem?: KnownConfigProblem) {
    super(message);
    this.name = 'ConfigError';
    this.findingId = problem?.findingId;
    this.problem = problem;
  }
}

/**
 * Why the run was stopped (a signal, max-duration, the stack or a container exiting), as the
 * reason of an abort: `fact` for the report, the message in English for logs.
 */
export class StopError extends Error {
  readonly fact: StopFact;

  constructor(fact: StopFact, message: string) {
    super(message);
    this.name = 'StopError';
    this.fact = fact;
  }
}

/** The stop's facts when `reason` (an abort's) is a StopError. */
export function stopFactOf(reason: unknown): StopFact | undefined {
  return reason instanceof StopError ? reason.fact : undefined;
}
