import { z } from 'zod';

/**
 * The value types the report's schemas are built from. A report can be read back from another
 * run (`mode: report`, a baseline artifact): that run may have executed a fork's code, so every
 * string and list is bounded and the strings rendered without escaping must match `token`.
 */
export const num = z.number().finite();
export const count = z.number().int().nonnegative();
export const text = z.string().max(100_000);
export const token = (pattern: RegExp) => z.string().max(200).regex(pattern);
export const stringMap = <T extends z.ZodType>(value: T) => z.record(z.string().max(1000), value);
