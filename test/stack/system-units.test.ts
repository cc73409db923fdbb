import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { readProcStat } from '../../src/stack/process-group.js';
import { systemUnits, unitsFromAuxv, USUAL_UNITS } from '../../src/stack/system-units.js';

/** An auxiliary vector of (key, value) pairs, as the kernel lays it out. */
function auxv(pairs: [number, number][], wordBytes: 4 | 8, littleEndian: boolean): Buffer {
  const out = Buffer.alloc(pairs.length * 2 * wordBytes);
  pairs.flat().forEach((n, i) => {
    const at = i * wordBytes;
    if (wordBytes === 8) {
      if (littleEndian) out.writeBigUInt64LE(BigInt(n), at);
      else out.writeBigUInt64BE(BigInt(n), at);
    } else if (littleEndian) out.writeUInt32LE(n, at);
    else out.writeUInt32BE(n, at);
  });
  return out;
}

describe('the units /proc counts in', () => {
  it.each<{ what: string; buffer: Buffer; word: 4 | 8; le: boolean; expected: object }>([
    {
      what: 'x86_64 (64-bit little-endian)',
      buffer: auxv(
        [
          [33, 7],
          [6, 4096],
          [17, 100],
          [0, 0],
        ],
        8,
        true,
      ),
      word: 8,
      le: true,
      expected: { clockTicksPerSecond: 100, pageSize: 4096 },
    },
    {
      what: 'arm64 with 64 KiB pages and HZ 250 exposed as USER_HZ 250',
      buffer: auxv(
        [
          [6, 65536],
          [17, 250],
          [0, 0],
        ],
        8,
        true,
      ),
      word: 8,
      le: true,
      expected: { clockTicksPerSecond: 250, pageSize: 65536 },
    },
    {
      what: 's390x-like big-endian',
      buffer: auxv(
        [
          [17, 100],
          [6, 4096],
          [0, 0],
        ],
        8,
        false,
      ),
      word: 8,
      le: false,
      expected: { clockTicksPerSecond: 100, pageSize: 4096 },
    },
    {
      what: '32-bit',
      buffer: auxv(
        [
          [6, 16384],
          [0, 0],
          [17, 999],
        ],
        4,
        true,
      ),
      word: 4,
      le: true,
      expected: { clockTicksPerSecond: 100, pageSize: 16384 }, // nothing after AT_NULL counts
    },
    {
      what: 'an empty vector keeps the usual units',
      buffer: Buffer.alloc(0),
      word: 8,
      le: true,
      expected: USUAL_UNITS,
    },
  ])('$what', ({ buffer, word, le, expected }) => {
    expect(unitsFromAuxv(buffer, word, le)).toEqual(expected);
  });

  it('on this machine: the same units as getconf, and our own RSS in bytes', () => {
    const getconf = (name: string) => Number(execFileSync('getconf', [name], { encoding: 'utf8' }));
    expect(systemUnits()).toEqual({
      clockTicksPerSecond: getconf('CLK_TCK'),
      pageSize: getconf('PAGESIZE'),
    });
    const own = readProcStat(process.pid);
    const rss = process.memoryUsage().rss;
    expect(own?.rssBytes).toBeGreaterThan(rss * 0.8);
    expect(own?.rssBytes).toBeLessThan(rss * 1.25);
  });
});
