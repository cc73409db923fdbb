import { FramingHeaders } from './response-head.js';

/** Heads longer than this are read every time (a usual API's head is 100–400 bytes). */
const MAX_MEMO_BYTES = 1024;

/**
 * The last final response head the raw connections read and the one pattern accepted, with
 * what reading it gave: its text, status, version and framing headers. A server answers alike
 * (the same headers, the same Date within a second), so a head byte for byte the same as the
 * last one is not decoded, matched nor searched again: one comparison of its bytes instead.
 * Shared by every connection: one head held, whatever the number of users (a head per user
 * would be held through their think time, and copied by every young-generation collection).
 */
export class HeadMemo {
  text = '';
  status = 0;
  http11 = true;
  readonly framing = new FramingHeaders();
  private readonly bytes = Buffer.allocUnsafe(MAX_MEMO_BYTES);
  private length = -1;

  /** Whether `source[0, end)` is the head remembered. */
  matches(source: Buffer, end: number): boolean {
    return end === this.length && source.compare(this.bytes, 0, end, 0, end) === 0;
  }

  /** Reads a valid final head (`text`, `source[0, end)` decoded) and remembers it. */
  remember(source: Buffer, end: number, text: string, status: number): void {
    this.text = text;
    this.status = status;
    this.http11 = text.charCodeAt(7) === 49; /* HTTP/1.1 */
    this.framing.readHead(text);
    if (end > MAX_MEMO_BYTES) {
      this.length = -1;
      return;
    }
    source.copy(this.bytes, 0, 0, end);
    this.length = end;
  }
}
