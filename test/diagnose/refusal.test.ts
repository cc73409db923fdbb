import { describe, expect, it } from 'vitest';
import { refusalCause, type Refusal, type SentRequest } from '../../src/diagnose/refusal.js';
import { whatTheResponseSays } from '../../src/diagnose/response-says.js';

/** A refusal as the API answered it. */
function refusal(status: number, body: string, headers: Record<string, string> = {}): Refusal {
  return { status, body, headers, says: whatTheResponseSays(status, body, headers)! };
}

const json = (fields: string[]): SentRequest => ({
  body: 'json',
  fields,
  url: '/login',
  template: true,
});

describe('the cause of a refusal, from what the API said', () => {
  it.each([
    {
      what: 'ASP.NET names `Username` for the `username` sent as JSON: it did not read the body',
      refused: refusal(
        400,
        JSON.stringify({
          title: 'One or more validation errors occurred.',
          status: 400,
          errors: { Username: ['The Username field is required.'] },
        }),
      ),
      sent: json(['username', 'password']),
      log: undefined,
      cause: { kind: 'media-type', unread: ['Username'], want: 'form' },
    },
    {
      what: 'ASP.NET names `Username` where `email` was sent: that field is expected',
      refused: refusal(
        400,
        JSON.stringify({ errors: { Username: ['The Username field is required.'] } }),
      ),
      sent: json(['email', 'password']),
      log: undefined,
      cause: { kind: 'fields-missing', missing: [expect.objectContaining({ name: 'Username' })] },
    },
    {
      what: 'Rails refuses a form with 422, its log names CSRF',
      refused: refusal(422, '<html>The change you wanted was rejected.</html>'),
      sent: json(['text']),
      log: "Can't verify CSRF token authenticity.",
      cause: { kind: 'csrf', logLine: "Can't verify CSRF token authenticity." },
    },
    {
      what: 'a bearer challenge that says the signature is invalid, with an empty body',
      refused: refusal(401, '', {
        'www-authenticate':
          'Bearer error="invalid_token", error_description="The signature is invalid"',
      }),
      sent: { ...json([]), body: 'none' as const, authorization: 'Bearer ${token}' },
      log: undefined,
      cause: { kind: 'token' },
    },
    {
      what: 'a 403 with nothing said and no token sent: not understood, not guessed',
      refused: refusal(403, 'Forbidden'),
      sent: json(['text']),
      log: undefined,
      cause: { kind: 'unexplained' },
    },
  ])('$what', ({ refused, sent, log, cause }) => {
    expect(refusalCause(refused, sent, log)).toEqual(cause);
  });
});
