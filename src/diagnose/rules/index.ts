import type { Rule } from '../context.js';
import { invalidCredentials, requestFormat, tokenRejected } from './auth.js';
import { generatorSaturated, latencyThreshold, saturation, timeouts } from './capacity.js';
import { errorsCollapse } from './collapse.js';
import {
  databaseUnavailable,
  methodNotAllowed,
  notFound,
  poolExhausted,
  rateLimited,
  serverErrors,
} from './http.js';
import { openapiMismatch } from './openapi.js';
import { fieldsMissing } from './request.js';
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
  invalidCredentials,
  tokenRejected,
  notFound,
  methodNotAllowed,
  poolExhausted,
  databaseUnavailable,
  proxyUpstreamUnreachable,
  proxyRateLimited,
  rateLimited,
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
