/**
 * What checking the scenario against the API's OpenAPI document found, before the smoke stage.
 * Plain data, JSON-serialisable; the diagnosis words it (in the report's locale).
 */

/** How a scenario step gives a body: the key under `request:` in loadgate.yml. */
export type BodyKey = 'json' | 'form' | 'multipart' | 'body';

/** A security scheme an operation requires, as the scenario would have to send it. */
export interface SchemeNeed {
  /** Its name under `components.securitySchemes`. */
  name: string;
  /** `bearer` / `basic` (http), `oauth2`, `openIdConnect`, `apiKey`, or another http scheme. */
  type: string;
  /** apiKey: where the key goes, and its name there. */
  in?: 'header' | 'query' | 'cookie';
  param?: string;
}

export type OpenApiMismatch = {
  /** The scenario step, by name and key path ("scenario.setup[0]"). */
  step: string;
  stepPath: string;
  /** The operation as the spec writes it ("POST /token"), and its operationId. */
  operation?: string;
  operationId?: string;
} &
  /** `similar`: paths of the document the scenario may have meant (trailing slash, last segment). */
  (
    | { kind: 'unknown-path'; method: string; path: string; similar: string[] }
    | { kind: 'method-not-allowed'; method: string; allowed: string[] }
    /** The body is sent as `sent` (with `sentKey:`); the spec accepts `expected`. */
    | { kind: 'media-type'; sent: string; sentKey: BodyKey; expected: string[]; fixKey: BodyKey }
    | { kind: 'body-missing'; expected: string[]; fixKey: BodyKey }
    /** Required top-level fields of the body schema that the step does not send. */
    | { kind: 'fields-missing'; mediaType: string; fields: string[]; sent: string[] }
    /** The operation needs one of `schemes` and the step sends none of them. */
    | { kind: 'security-missing'; schemes: SchemeNeed[] }
  );

export interface OpenApiEvidence {
  /** Where the document was read (URL or file). */
  source: string;
  /** Its `openapi` version ("3.0.2", "3.1.0"). */
  version: string;
  /** Scenario steps checked (those whose URL is on the target). */
  checked: number;
  mismatches: OpenApiMismatch[];
}
