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
