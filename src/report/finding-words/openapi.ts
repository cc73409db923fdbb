/** The sentences of the `openapi` rules (src/diagnose/rules/openapi.ts), in each locale. */

const en = {};

const fr: typeof en = {};

export const OPENAPI = { en, fr };
