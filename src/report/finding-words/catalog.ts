import { AUTH } from './auth.js';
import { CAPACITY } from './capacity.js';
import { COMMON } from './common.js';
import { HTTP } from './http.js';
import { OPENAPI } from './openapi.js';
import { PROXY } from './proxy.js';
import { REGRESSION } from './regression.js';
import { REQUEST } from './request.js';
import { STACK } from './stack.js';

/**
 * Every sentence the diagnosis says, in each locale, merged from one file per rule family. The
 * French catalog has the English one's type: a sentence missing in a locale does not compile.
 */
export const FAMILIES = {
  common: COMMON,
  auth: AUTH,
  request: REQUEST,
  http: HTTP,
  proxy: PROXY,
  capacity: CAPACITY,
  regression: REGRESSION,
  openapi: OPENAPI,
  stack: STACK,
};

const EN = {
  ...COMMON.en,
  ...AUTH.en,
  ...REQUEST.en,
  ...HTTP.en,
  ...PROXY.en,
  ...CAPACITY.en,
  ...REGRESSION.en,
  ...OPENAPI.en,
  ...STACK.en,
};
const FR: typeof EN = {
  ...COMMON.fr,
  ...AUTH.fr,
  ...REQUEST.fr,
  ...HTTP.fr,
  ...PROXY.fr,
  ...CAPACITY.fr,
  ...REGRESSION.fr,
  ...OPENAPI.fr,
  ...STACK.fr,
};

export const FINDING_WORDS = { en: EN, fr: FR };
