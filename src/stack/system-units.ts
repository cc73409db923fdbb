import { readFileSync } from 'node:fs';
import { arch, endianness } from 'node:os';

/** The units /proc counts in: clock ticks per second (USER_HZ) and the page size, in bytes. */
export interface SystemUnits {
  clockTicksPerSecond: number;
  pageSize: number;
}

/** Linux's usual values, for a system whose auxiliary vector cannot be read. */
export const USUAL_UNITS: SystemUnits = { clockTicksPerSecond: 100, pageSize: 4096 };

/** Keys of the ELF auxiliary vector (<elf.h>): what `getconf CLK_TCK` and `PAGESIZE` read. */
const AT_NULL = 0;
const AT_PAGESZ = 6;
const AT_CLKTCK = 17;

/**
 * The units from an auxiliary vector (`/proc/self/auxv`: key/value pairs of machine words,
 * ended by AT_NULL). Pure; a value missing or zero keeps the usual one.
 */
export function unitsFromAuxv(auxv: Buffer, wordBytes: 4 | 8, littleEndian: boolean): SystemUnits {
  const word = (offset: number): number =>
    wordBytes === 8
      ? Number(littleEndian ? auxv.readBigUInt64LE(offset) : auxv.readBigUInt64BE(offset))
      : littleEndian
        ? auxv.readUInt32LE(offset)
        : auxv.readUInt32BE(offset);
  const units = { ...USUAL_UNITS };
  for (let offset = 0; offset + 2 * wordBytes <= auxv.length; offset += 2 * wordBytes) {
    const key = word(offset);
    const value = word(offset + wordBytes);
    if (key === AT_NULL) break;
    if (key === AT_CLKTCK && value > 0) units.clockTicksPerSecond = value;
    if (key === AT_PAGESZ && value > 0) units.pageSize = value;
  }
  return units;
}

let cached: SystemUnits | undefined;

/** This system's units, read once from the kernel's auxiliary vector for this process. */
export function systemUnits(): SystemUnits {
  if (cached) return cached;
  try {
    const wordBytes = /64|s390x/.test(arch()) ? 8 : 4;
    cached = unitsFromAuxv(readFileSync('/proc/self/auxv'), wordBytes, endianness() === 'LE');
  } catch {
    cached = USUAL_UNITS; // no /proc (macOS): the stack's resources are not sampled there anyway
  }
  return cached;
}
