const HEAD_END = Buffer.from('\r\n\r\n');

/**
 * The bytes of a response head until its blank line, read after read. A head that comes in one
 * read (the usual case) is searched in place, never copied; a head split across reads is
 * copied into a buffer that doubles, and each read is searched from where the previous search
 * stopped (less the 3 bytes a CRLFCRLF split across reads may start in): a server trickling
 * its head one byte at a time costs linear work, not quadratic.
 */
export class HeadBuffer {
  /** Bytes searched for the blank line so far (for tests: linear in the bytes pushed). */
  examined = 0;
  private buffer: Buffer | undefined;
  private length = 0;
  private found: Buffer | undefined;

  /** Bytes held, waiting for the end of the head. */
  get size(): number {
    return this.length;
  }

  /**
   * Adds one read: the index of the blank line ending the head in `bytes()` (the head is
   * `bytes()` up to it, the rest follows its 4 bytes), or -1 when it has not come yet.
   */
  push(chunk: Buffer): number {
    if (this.length === 0) {
      this.examined += chunk.length;
      const end = chunk.indexOf(HEAD_END);
      if (end >= 0) {
        this.found = chunk;
        return end;
      }
      this.append(chunk);
      return -1;
    }
    const from = Math.max(0, this.length - 3);
    this.append(chunk);
    const held = (this.buffer as Buffer).subarray(0, this.length);
    this.examined += this.length - from;
    const end = held.indexOf(HEAD_END, from);
    if (end >= 0) this.found = held;
    return end;
  }

  /** The bytes the last `push` found the end of the head in; the buffer is then emptied. */
  bytes(): Buffer {
    const found = this.found as Buffer;
    this.clear();
    return found;
  }

  /** Forgets everything (the buffer is not reused: the bytes `bytes()` gave are still read). */
  clear(): void {
    this.buffer = undefined;
    this.length = 0;
    this.found = undefined;
  }

  private append(chunk: Buffer): void {
    const needed = this.length + chunk.length;
    let buffer = this.buffer;
    if (!buffer || buffer.length < needed) {
      const grown = Buffer.allocUnsafe(Math.max(needed, 2 * (buffer?.length ?? 0), 256));
      buffer?.copy(grown, 0, 0, this.length);
      buffer = grown;
      this.buffer = buffer;
    }
    chunk.copy(buffer, this.length);
    this.length = needed;
  }
}
