import { describe, expect, it } from 'vitest';
import { painter, useColour } from '../../src/report/colour.js';

describe('useColour', () => {
  it.each([
    // [what, env, isTTY, colour]
    ['a terminal', {}, true, true],
    ['a pipe', {}, false, false],
    ['NO_COLOR on a terminal', { NO_COLOR: '1' }, true, false],
    ['NO_COLOR set to any value', { NO_COLOR: 'yes please' }, true, false],
    ['NO_COLOR empty counts as unset', { NO_COLOR: '' }, true, true],
    ['FORCE_COLOR=1 on a pipe', { FORCE_COLOR: '1' }, false, true],
    ['FORCE_COLOR=2', { FORCE_COLOR: '2' }, false, true],
    ['FORCE_COLOR=3', { FORCE_COLOR: '3' }, false, true],
    ['FORCE_COLOR=true', { FORCE_COLOR: 'true' }, false, true],
    ['FORCE_COLOR=0 on a terminal', { FORCE_COLOR: '0' }, true, false],
    ['FORCE_COLOR=false on a terminal', { FORCE_COLOR: 'false' }, true, false],
    ['FORCE_COLOR empty counts as unset (terminal)', { FORCE_COLOR: '' }, true, true],
    ['FORCE_COLOR empty counts as unset (pipe)', { FORCE_COLOR: '' }, false, false],
    ['FORCE_COLOR wins over NO_COLOR', { FORCE_COLOR: '1', NO_COLOR: '1' }, false, true],
    ['FORCE_COLOR=0 with NO_COLOR', { FORCE_COLOR: '0', NO_COLOR: '1' }, true, false],
    ['TERM=dumb', { TERM: 'dumb' }, true, false],
    ['TERM=dumb, forced', { TERM: 'dumb', FORCE_COLOR: '1' }, true, true],
    ['TERM=xterm-256color', { TERM: 'xterm-256color' }, true, true],
  ] as const)('%s', (_what, env, isTTY, colour) => {
    expect(useColour(env, isTTY)).toBe(colour);
  });
});

describe('painter', () => {
  it('wraps text in SGR codes that reset only what they set, when colour is on', () => {
    const paint = painter(true);
    expect(paint('red', 'FAIL')).toBe('\u001b[31mFAIL\u001b[39m');
    expect(paint('bold', 'Thresholds')).toBe('\u001b[1mThresholds\u001b[22m');
    expect(paint('green', '')).toBe('');
  });

  it('returns the text unchanged when colour is off', () => {
    expect(painter(false)('red', 'FAIL')).toBe('FAIL');
  });
});
