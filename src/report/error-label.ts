import type { ErrorGroup, ErrorKind } from '../model/run-result.js';
import type { MessageKey } from './messages.js';

const KIND_TEXT: Record<ErrorKind, MessageKey> = {
  refused: 'kindRefused',
  reset: 'kindReset',
  closed: 'kindClosed',
  timeout: 'kindTimeout',
  dns: 'kindDns',
  tls: 'kindTls',
  protocol: 'kindProtocol',
  unreachable: 'kindUnreachable',
  status: 'kindStatus',
  'check-failed': 'kindCheckFailed',
  'capture-failed': 'kindCaptureFailed',
  'request-build': 'kindRequestBuild',
  other: 'kindOther',
};

/** Kinds a message already says (`HTTP 503`) or that say nothing more than the message. */
const SAID_BY_MESSAGE = new Set<ErrorKind>(['status', 'other']);

/**
 * An error group as a report names it: its message as the engine wrote it, with the kind of
 * failure in the report's locale (`ECONNREFUSED (connexion refusée)`). Raw text: each renderer
 * escapes it.
 */
export function errorLabel(
  error: Pick<ErrorGroup, 'message' | 'kind'>,
  t: Record<MessageKey, string>,
): string {
  return error.kind && !SAID_BY_MESSAGE.has(error.kind)
    ? `${error.message} (${t[KIND_TEXT[error.kind]]})`
    : error.message;
}
