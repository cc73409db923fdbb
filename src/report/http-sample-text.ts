import type { HttpSample } from '../model/run-result.js';
import type { MessageKey } from './messages.js';

/**
 * A sample's request and response as the raw HTTP text a reader knows (request line, headers,
 * blank line, body); `response` is undefined when no HTTP response was received. Unescaped:
 * each renderer escapes it for its format. Expects already-redacted data.
 */
export function httpSampleText(
  sample: HttpSample,
  t: Record<MessageKey, string>,
): { request: string; response?: string } {
  const { request, response } = sample;
  const requestText = [
    `${request.method} ${request.url}`,
    ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`),
    ...(request.body ? ['', request.body] : []),
  ].join('\n');
  if (!response) return { request: requestText };
  return {
    request: requestText,
    response: [
      `HTTP ${response.status}`,
      ...Object.entries(response.headers).map(([k, v]) => `${k}: ${v}`),
      '',
      response.body + (response.truncated ? `\n… (${t.truncated})` : ''),
    ].join('\n'),
  };
}
