import { z } from 'zod';
import { count, text } from './json-values.js';

/**
 * What checking the scenario against the API's OpenAPI document found, before the smoke stage.
 * Plain data, JSON-serialisable; the diagnosis words it (in the report's locale).
 */

/** How a scenario step gives a body: the key under `request:` in loadgate.yml. */
export const bodyKeySchema = z.enum(['json', 'form', 'multipart', 'body']);
export type BodyKey = z.infer<typeof bodyKeySchema>;

/** A security scheme an operation requires, as the scenario would have to send it. */
export const schemeNeedSchema = z.object({
  /** Its name under `components.securitySchemes`. */
  name: text,
  /** `bearer` / `basic` (http), `oauth2`, `openIdConnect`, `apiKey`, or another http scheme. */
  type: text,
  /** apiKey: where the key goes, and its name there. */
  in: z.enum(['header', 'query', 'cookie']).optional(),
  param: text.optional(),
});
export type SchemeNeed = z.infer<typeof schemeNeedSchema>;

const names = z.array(text).max(1000);

/** The scenario step, by name and key path ("scenario.setup[0]"), and the operation it hit. */
const where = {
  step: text,
  stepPath: text,
  /** The operation as the spec writes it ("POST /token"), and its operationId. */
  operation: text.optional(),
  operationId: text.optional(),
};

export const openApiMismatchSchema = z.discriminatedUnion('kind', [
  /** `similar`: paths of the document the scenario may have meant (trailing slash, last segment). */
  z.object({ ...where, kind: z.literal('unknown-path'), method: text, path: text, similar: names }),
  z.object({ ...where, kind: z.literal('method-not-allowed'), method: text, allowed: names }),
  /** The body is sent as `sent` (with `sentKey:`); the spec accepts `expected`. */
  z.object({
    ...where,
    kind: z.literal('media-type'),
    sent: text,
    sentKey: bodyKeySchema,
    expected: names,
    fixKey: bodyKeySchema,
  }),
  z.object({ ...where, kind: z.literal('body-missing'), expected: names, fixKey: bodyKeySchema }),
  /** Required top-level fields of the body schema that the step does not send. */
  z.object({
    ...where,
    kind: z.literal('fields-missing'),
    mediaType: text,
    fields: names,
    sent: names,
  }),
  /** The operation needs one of `schemes` and the step sends none of them. */
  z.object({
    ...where,
    kind: z.literal('security-missing'),
    schemes: z.array(schemeNeedSchema).max(100),
  }),
]);
export type OpenApiMismatch = z.infer<typeof openApiMismatchSchema>;

export const openApiEvidenceSchema = z.object({
  /** Where the document was read (URL or file). */
  source: text,
  /** Its `openapi` version ("3.0.2", "3.1.0"). */
  version: text,
  /** Scenario steps checked (those whose URL is on the target). */
  checked: count,
  mismatches: z.array(openApiMismatchSchema).max(1000),
});
export type OpenApiEvidence = z.infer<typeof openApiEvidenceSchema>;
