/** The sentences of the `capacity` rules (src/diagnose/rules/capacity.ts), in each locale. */

const en = {};

const fr: typeof en = {};

export const CAPACITY = { en, fr };
