import type { ErrorKind } from '../../model/run-result.js';

/**
 * Locust's failure strings (the `Error` column of its failures CSV: the repr of the exception,
 * unwrapped by Locust down to the socket's own error for connection failures) → error kinds, by
 * the Python exception class names and the OS messages they carry. The first row that matches
 * wins: the order goes from the most specific to the most general.
 */
export const LOCUST_ERROR_KINDS: readonly (readonly [RegExp, ErrorKind])[] = [
  [/\bSSL[A-Za-z]*Error\b|CERTIFICATE_VERIFY_FAILED/, 'tls'],
  [/\bConnectionRefusedError\b|Connection refused|\[Errno 111\]/, 'refused'],
  [
    /\b(?:ConnectionResetError|BrokenPipeError|ConnectionAbortedError)\b|Connection reset by peer|Broken pipe/,
    'reset',
  ],
  [
    /\b(?:BadStatusLine|LineTooLong|InvalidChunkLength|HeaderParsingError|HTTPParseError|UnknownProtocol|ContentDecodingError)\b/,
    'protocol',
  ],
  // a body cut short: "Connection broken: IncompleteRead(...)"
  [/\b(?:RemoteDisconnected|IncompleteRead|ChunkedEncodingError)\b|Connection broken/, 'closed'],
  [/\b(?:ConnectTimeout|ReadTimeout|Timeout|TimeoutError|timeout)\b|timed out/, 'timeout'],
  [
    /\b(?:NameResolutionError|gaierror)\b|Name or service not known|Temporary failure in name resolution|Failed to resolve/,
    'dns',
  ],
  [/No route to host|Network is unreachable/, 'unreachable'],
  [
    /\b(?:InvalidHeader|InvalidURL|MissingSchema|InvalidSchema|LocationParseError|LocationValueError|UnicodeEncodeError)\b/,
    'request-build',
  ],
];

/** A failure the locustfile reported itself (`response.failure(text)`): a capture, or a check. */
export function caughtErrorKind(text: string): ErrorKind {
  return /^capture \S+: /.test(text) ? 'capture-failed' : 'check-failed';
}

/**
 * The kind of a Locust failure that carries no HTTP status: a capture of the generated
 * locustfile, a locustfile's own `response.failure(...)` (a check), a connection error.
 */
export function locustErrorKind(raw: string): ErrorKind {
  const caught = /^CatchResponseError\((['"])([\s\S]*)\1\)$/.exec(raw)?.[2];
  if (caught !== undefined) return caughtErrorKind(caught);
  return LOCUST_ERROR_KINDS.find(([pattern]) => pattern.test(raw))?.[1] ?? 'other';
}
