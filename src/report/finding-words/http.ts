/** The sentences of the `http` rules (src/diagnose/rules/http.ts), in each locale. */

const en = {};

const fr: typeof en = {};

export const HTTP = { en, fr };
