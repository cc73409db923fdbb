/** How the pipeline talks to a human: @actions/core in the action, the terminal in the CLI. */
export interface Logger {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  /** Runs `fn` inside a collapsible group (core.group) or under a heading. */
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Masks a value in everything logged from now on (core.setSecret). */
  setSecret(value: string): void;
}
