/**
 * A request that cannot be built (an unset variable, an invalid URL): recorded as a failure of
 * that request with this message, and nothing is sent.
 */
export class RequestBuildError extends Error {
  override readonly name: string = 'RequestBuildError';
}
