import { describe, expect, it } from 'vitest';
import { whatTheBodySays, whatTheResponseSays } from '../../src/diagnose/response-says.js';

const j = (value: unknown) => JSON.stringify(value);

describe('what a 4xx body says is wrong', () => {
  it.each([
    [
      'FastAPI/pydantic v1: form fields missing (the seed)',
      422,
      j({
        detail: [
          { loc: ['body', 'username'], msg: 'field required', type: 'value_error.missing' },
          { loc: ['body', 'password'], msg: 'field required', type: 'value_error.missing' },
        ],
      }),
      {
        kind: 'fields-missing',
        fields: [
          { name: 'username', location: 'body' },
          { name: 'password', location: 'body' },
        ],
      },
    ],
    [
      'pydantic v2: a field of another name missing',
      422,
      j({
        detail: [
          { type: 'missing', loc: ['body', 'login'], msg: 'Field required', input: { user: 'x' } },
        ],
      }),
      { kind: 'fields-missing', fields: [{ name: 'login', location: 'body' }] },
    ],
    [
      'a JSON login with a wrong password (npm API server)',
      400,
      j({ message: 'Password is incorrect' }),
      { kind: 'credentials-rejected' },
    ],
    [
      'OAuth2 invalid_grant',
      400,
      j({ error: 'invalid_grant', error_description: 'Invalid user credentials' }),
      { kind: 'credentials-rejected' },
    ],
    [
      'FastAPI wrong password',
      401,
      j({ detail: 'Incorrect username or password' }),
      { kind: 'credentials-rejected' },
    ],
    [
      'Django REST required field',
      400,
      j({ username: ['This field is required.'] }),
      { kind: 'fields-missing', fields: [{ name: 'username' }] },
    ],
    [
      'Rails',
      422,
      j({ errors: { email: ["can't be blank"] } }),
      { kind: 'fields-missing', fields: [{ name: 'email' }] },
    ],
    [
      'ASP.NET problem details',
      400,
      j({
        type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
        title: 'One or more validation errors occurred.',
        status: 400,
        errors: { Email: ['The Email field is required.'] },
      }),
      { kind: 'fields-missing', fields: [{ name: 'Email' }] },
    ],
    [
      'express-validator',
      400,
      j({
        errors: [
          { type: 'field', msg: 'Password is required', path: 'password', location: 'body' },
        ],
      }),
      { kind: 'fields-missing', fields: [{ name: 'password', location: 'body' }] },
    ],
    [
      'Spring missing parameter',
      400,
      j({
        status: 400,
        error: 'Bad Request',
        message:
          "Required request parameter 'username' for method parameter type String is not present",
        path: '/login',
      }),
      { kind: 'fields-missing', fields: [{ name: 'username', location: 'parameter' }] },
    ],
    ['415', 415, j({ error: 'Unsupported Media Type' }), { kind: 'content-type' }],
    [
      'RFC 7807 content type',
      400,
      j({ title: 'Bad Request', detail: 'Content-Type must be application/x-www-form-urlencoded' }),
      { kind: 'content-type' },
    ],
    [
      'expired token',
      401,
      j({ detail: 'Token has expired' }),
      { kind: 'token', problem: 'expired' },
    ],
    [
      'bad signature',
      401,
      j({ detail: 'Could not validate credentials' }),
      { kind: 'token', problem: 'invalid' },
    ],
    [
      'no token (FastAPI)',
      401,
      j({ detail: 'Not authenticated' }),
      { kind: 'token', problem: 'missing' },
    ],
    [
      'Django REST no token',
      401,
      j({ detail: 'Authentication credentials were not provided.' }),
      { kind: 'token', problem: 'missing' },
    ],
    ['CSRF', 403, 'CSRF verification failed. Request aborted.', { kind: 'csrf' }],
    [
      'plain text credentials',
      401,
      'Invalid username or password',
      { kind: 'credentials-rejected' },
    ],
    [
      'json-server-auth: a JSON string naming the fields',
      400,
      j('Email and password are required'),
      { kind: 'fields-missing', fields: [{ name: 'email' }, { name: 'password' }] },
    ],
    [
      'a plain sentence with a list of fields',
      422,
      'name, userEmail and password are missing',
      {
        kind: 'fields-missing',
        fields: [{ name: 'name' }, { name: 'userEmail' }, { name: 'password' }],
      },
    ],
    ['"This field is required" names no field', 400, j('This field is required'), undefined],
    [
      '"Authorization header is required" is a missing token, not a field',
      401,
      j({ message: 'Authorization header is required' }),
      { kind: 'token', problem: 'missing' },
    ],
    [
      'json-server-auth: unknown user',
      400,
      j('Cannot find user'),
      { kind: 'credentials-rejected' },
    ],
    ['user not found', 401, j({ error: 'User not found' }), { kind: 'credentials-rejected' }],
    [
      'json-server-auth: a token without its scheme',
      401,
      j('Incorrect authorization scheme'),
      { kind: 'token', problem: 'invalid' },
    ],
    [
      'json-server-auth: no token',
      401,
      j('Missing authorization header'),
      { kind: 'token', problem: 'missing' },
    ],
    [
      'go-playground/validator (Gin, Echo)',
      400,
      j({
        error:
          "Key: 'Login.Username' Error:Field validation for 'Username' failed on the 'required' tag",
      }),
      { kind: 'fields-missing', fields: [{ name: 'Username' }] },
    ],
    [
      'Echo JWT: missing or malformed jwt',
      401,
      j({ message: 'missing or malformed jwt' }),
      { kind: 'token', problem: 'missing' },
    ],
    ['nothing recognisable', 400, j({ detail: 'quota exceeded for plan' }), undefined],
    ['a 5xx is not read here', 500, j({ detail: 'field required' }), undefined],
  ])('%s', (_what, status, body, expected) => {
    const says = whatTheBodySays(status, body);
    if (expected === undefined) expect(says).toBeUndefined();
    else expect(says).toMatchObject(expected);
  });
});

describe('what a bearer challenge says (RFC 6750: Spring Security, ASP.NET Core answer an empty body)', () => {
  it.each([
    [
      'Bearer error="invalid_token", error_description="The signature is invalid"',
      ['token-invalid'],
    ],
    [
      'Bearer error="invalid_token", error_description="Jwt expired at 2026-12-08T03:00:00Z"',
      ['token-expired', 'token-invalid'],
    ],
    ['Bearer realm="api", error="invalid_token"', ['token-invalid']],
    ['Bearer', []],
  ])('%s', (challenge, meanings) => {
    const says = whatTheResponseSays(401, '', { 'WWW-Authenticate': challenge });
    expect(says?.meanings).toEqual(meanings);
    expect(says?.challenges).toEqual(['Bearer']);
  });

  it('a comma inside a quoted description names no scheme', () => {
    const says = whatTheResponseSays(401, '', {
      'www-authenticate': 'Bearer error="invalid_token", error_description="bad, expired token"',
    });
    expect(says?.challenges).toEqual(['Bearer']);
  });
});
