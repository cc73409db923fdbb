import { describe, expect, it } from 'vitest';
import {
  compileJson,
  compileTemplate,
  isStatic,
  MissingVariableError,
  render,
  renderJson,
} from '../../../src/engine/builtin/template.js';
import { RequestBuildError } from '../../../src/engine/builtin/request-error.js';

const scope = () => ({
  vars: { token: 't-1' },
  env: { USER: 'alice', EMPTY: '' },
  data: { name: 'bob' },
  usedEnv: new Set<string>(),
});

describe('templates', () => {
  it('a string without placeholders is static and renders to itself', () => {
    const template = compileTemplate('/items?x=1');
    expect(isStatic(template)).toBe(true);
    expect(render(template, scope())).toBe('/items?x=1');
  });

  it('renders variables, env and data, and remembers the env values it used', () => {
    const s = scope();
    expect(render(compileTemplate('${ token }/${env.USER}/${data.name}!'), s)).toBe(
      't-1/alice/bob!',
    );
    expect([...s.usedEnv]).toEqual(['alice']);
  });

  it.each([
    ['${missing}', 'variable ${missing} is not set: capture it in a setup step'],
    ['${env.NOPE}', 'variable ${env.NOPE} is not set: set NOPE in the environment'],
    ['${env.EMPTY}', 'variable ${env.EMPTY} is not set: set EMPTY in the environment'],
    [
      '${data.city}',
      'variable ${data.city} is not set: scenario.data has no column city (or no row for this user)',
    ],
  ])('%s is a clear failure, never sent as it is', (text, message) => {
    const attempt = () => render(compileTemplate(text), scope());
    expect(attempt).toThrow(MissingVariableError);
    expect(attempt).toThrow(RequestBuildError);
    expect(attempt).toThrow(message);
  });

  it('JSON bodies: only string leaves are templated; static ones stay as they are', () => {
    const compiled = compileJson({ a: '${token}', b: [1, '${env.USER}', null], c: { d: 'x' } });
    expect(compiled.static).toBe(false);
    expect(renderJson(compiled.value, scope())).toEqual({
      a: 't-1',
      b: [1, 'alice', null],
      c: { d: 'x' },
    });
    expect(compileJson({ a: 1, b: ['x'] }).static).toBe(true);
  });
});
