/** The sentences of the `stack` rules (src/diagnose/rules/stack.ts), in each locale. */

const en = {};

const fr: typeof en = {};

export const STACK = { en, fr };
