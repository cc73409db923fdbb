/** One way to turn anything thrown into a message. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A configuration problem: reported before anything boots, exit code 2. */
export class ConfigError extends Error {
  /** A finding id when the problem is a known one (e.g. "config.empty-secret"). */
  readonly findingId: string | undefined;

  constructor(message: string, findingId?: string) {
    super(message);
    this.name = 'ConfigError';
    this.findingId = findingId;
  }
}
