import { describe, expect, it } from 'vitest';
import {
  alignedTable,
  displayWidth,
  pad,
  plain,
  plainLines,
} from '../../src/report/terminal-text.js';

describe('displayWidth', () => {
  it.each([
    ['ascii', 'GET /items', 10],
    ['empty', '', 0],
    ['precomposed accent', 'café', 4],
    ['e + combining accent', 'cafe\u0301', 4],
    ['CJK: two cells each', 'GET /商品', 9],
    ['Hangul', '한국', 4],
    ['fullwidth letters', 'ＡＢ', 4],
    ['an emoji', '🍕', 2],
    ['an emoji with a skin tone', '👍🏽', 2],
    ['a ZWJ family', '👨‍👩‍👧', 2],
    ['a text-style sign', '⚠', 1],
    ['the same sign, emoji style', '⚠️', 2],
    ['a box-drawing rule', '───', 3],
    ['colour codes take no cell', '\u001b[31mred\u001b[39m', 3],
    ['a zero-width joiner alone', '\u200d', 0],
  ])('%s', (_what, text, width) => {
    expect(displayWidth(text)).toBe(width);
  });
});

describe('pad', () => {
  it('pads to display cells, left or right', () => {
    expect(pad('商品', 6)).toBe('商品  ');
    expect(pad('42', 5, 'right')).toBe('   42');
    expect(pad('too long', 3)).toBe('too long');
  });
});

describe('plain', () => {
  it('turns control characters (escape sequences, bells, CR/LF, tabs) into spaces', () => {
    expect(plain('a\u001b[2Jb\u0007c\r\nd\te\u009bf')).toBe('a [2Jb c d e f');
  });

  it('keeps the line breaks apart with plainLines', () => {
    expect(plainLines('one\r\ntwo\u001b\nthree')).toEqual(['one', 'two ', 'three']);
  });
});

describe('alignedTable', () => {
  it('sizes each column to its widest cell, numbers right, no trailing spaces', () => {
    expect(
      alignedTable(
        [{ header: 'Name' }, { header: 'n', align: 'right' }, { header: 'Status' }],
        [
          ['GET /a', '1', 'ok'],
          ['GET /été', '1234', ''],
        ],
      ),
    ).toEqual([
      'Name         n  Status',
      '────────  ────  ──────',
      'GET /a       1  ok',
      'GET /été  1234',
    ]);
  });
});
