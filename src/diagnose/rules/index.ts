import type { Rule } from '../context.js';
import { invalidCredentials, tokenRejected } from './auth.js';
import { generatorSaturated, latencyThreshold, saturation, timeouts } from './capacity.js';
import { errorsCollapse } from './collapse.js';
import {
  databaseLocked,
  databaseUnavailable,
  methodNotAllowed,
  notFound,
  poolExhausted,
  rateLimited,
  serverErrors,
} from './http.js';
import { openapiMismatch } from './openapi.js';
import { csrfRequired, fieldsMissing, requestFormat, requestRejected } from './request.js';
import { proxyRateLimited, proxyUpstreamTimeout, proxyUpstreamUnreachable } from './proxy.js';
import { errorsRegression, latencyRegression } from './regression.js';
import {
  emptySecret,
  portInUse,
  scriptExceptions,
  stackCrashed,
  stackNotReady,
  unreachable,
} from './stack.js';

/** Every rule, in rank order of how directly each explains a failure (ties after confidence). */
export const RULES: Rule[] = [
  emptySecret,
  portInUse,
  stackNotReady,
  stackCrashed,
  scriptExceptions,
  unreachable,
  openapiMismatch,
  requestFormat,
  fieldsMissing,
  csrfRequired,
  invalidCredentials,
  tokenRejected,
  notFound,
  methodNotAllowed,
  poolExhausted,
  databaseLocked,
  databaseUnavailable,
  proxyUpstreamUnreachable,
  proxyRateLimited,
  rateLimited,
  requestRejected,
  proxyUpstreamTimeout,
  timeouts,
  errorsCollapse,
  saturation,
  serverErrors,
  errorsRegression,
  latencyRegression,
  latencyThreshold,
  generatorSaturated,
];
