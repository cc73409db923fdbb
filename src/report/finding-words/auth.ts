/** The sentences of the `auth` rules (src/diagnose/rules/auth.ts), in each locale. */

const en = {};

const fr: typeof en = {};

export const AUTH = { en, fr };
