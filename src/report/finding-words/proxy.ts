/** The sentences of the `proxy` rules (src/diagnose/rules/proxy.ts), in each locale. */

const en = {};

const fr: typeof en = {};

export const PROXY = { en, fr };
