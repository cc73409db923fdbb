import { describe, expect, it } from 'vitest';
import { HeadBuffer } from '../../src/transport/head-buffer.js';

const response = (filler: number) =>
  Buffer.from(`HTTP/1.1 200 OK\r\nX-Filler: ${'a'.repeat(filler)}\r\n\r\nbody`, 'latin1');

/** Pushes `bytes` in reads of `piece` bytes; the end found and the bytes it is in. */
function feed(head: HeadBuffer, bytes: Buffer, piece: number) {
  for (let i = 0; i < bytes.length; i += piece) {
    const end = head.push(bytes.subarray(i, i + piece));
    if (end >= 0) return { end, bytes: head.bytes(), at: i };
  }
  return undefined;
}

describe('HeadBuffer (the response head, read after read)', () => {
  it.each([1, 2, 3, 5, 1000])('finds the blank line across reads of %s bytes', (piece) => {
    const bytes = response(100);
    const found = feed(new HeadBuffer(), bytes, piece);
    expect(found).toBeDefined();
    const { end, bytes: held } = found!;
    expect(held.toString('latin1', 0, end)).toBe(bytes.toString('latin1', 0, bytes.length - 8));
    // what follows the head is in the same bytes, as far as it has come
    expect(held.toString('latin1', end + 4)).toBe('body'.slice(0, held.length - end - 4));
  });

  it('a head trickled one byte at a time is searched once, not from the start at each read', () => {
    const bytes = response(64 * 1024);
    const head = new HeadBuffer();
    expect(feed(head, bytes, 1)?.at).toBe(bytes.length - 5); // the read with the last '\n'
    // rescanning from the start would examine ~n²/2 bytes (2 billion here)
    expect(head.examined).toBeLessThanOrEqual(4 * bytes.length);
  });

  it('a head in one read is not copied; the buffer is emptied once the head is taken', () => {
    const head = new HeadBuffer();
    const bytes = response(10);
    expect(head.push(bytes)).toBe(bytes.length - 8);
    expect(head.bytes()).toBe(bytes); // the same Buffer
    expect(head.size).toBe(0);
    expect(head.push(Buffer.from('HTTP/1.1 '))).toBe(-1);
    expect(head.size).toBe(9);
    head.clear();
    expect(head.size).toBe(0);
  });
});
