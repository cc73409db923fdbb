import type { OpenApiMismatch } from '../../model/openapi-evidence.js';
import type { StepOutcomeFacts } from '../../report/finding-words/openapi.js';
import { w, type FindingFacts, type Words } from '../../report/finding-words/words.js';
import {
  countStatus,
  endpointViews,
  excerpt,
  firstResponseBody,
  type DiagnoseInput,
  type Rule,
} from '../context.js';

/** The finding id of each kind of mismatch (stable). */
const IDS: Record<OpenApiMismatch['kind'], string> = {
  'unknown-path': 'openapi.unknown-path',
  'method-not-allowed': 'openapi.method-not-allowed',
  'media-type': 'openapi.media-type',
  'body-missing': 'openapi.body-missing',
  'fields-missing': 'openapi.fields-missing',
  'security-missing': 'openapi.security-missing',
};

const MAX_FINDINGS = 5;

/**
 * A scenario request the API's OpenAPI document says is wrong, found before the smoke stage:
 * named with certainty whatever the run then showed, unless the API accepted requests of that
 * step (none failed, or some got a 2xx/3xx: the document is then likely out of date, and the
 * finding only a low-priority note).
 */
export const openapiMismatch: Rule = (input) => {
  const evidence = input.result?.openapi;
  if (!evidence) return [];
  return evidence.mismatches.slice(0, MAX_FINDINGS).map((m): FindingFacts => {
    const { title, fix } = describeMismatch(m);
    const { outcome, body } = stepOutcome(input, m) ?? {};
    const accepted = outcome !== undefined && (outcome.failed === 0 || outcome.answered > 0);
    return {
      id: IDS[m.kind],
      title,
      confidence: accepted ? 0.3 : 0.95,
      priority: accepted ? 'low' : 'high',
      evidence: [
        ...mismatchEvidence(m, evidence.source),
        w('openapi.found-before-smoke'),
        ...(outcome === undefined
          ? []
          : [accepted ? w('openapi.step-accepted', outcome) : w('openapi.step-failed', outcome)]),
        // what the API answered: the document and the response agree, or the reader sees they do not
        ...(body === undefined || accepted
          ? []
          : [w('common.response-body', { body: excerpt(body) })]),
      ],
      actions: [{ text: fix, priority: accepted ? 'low' : 'high', effort: '5 min' }],
    };
  });
};

/**
 * How the step's requests went in the first stage that ran it, if it ran, and the body of its
 * first failure.
 */
function stepOutcome(
  input: DiagnoseInput,
  m: OpenApiMismatch,
): { outcome: StepOutcomeFacts; body: string | undefined } | undefined {
  const view = endpointViews(input).find((v) => v.stepPath === m.stepPath);
  if (!view) return undefined;
  const statuses = Object.keys(view.stats.statusCodes)
    .filter((s) => Number(s) >= 400 && countStatus(view.stats, (c) => c === Number(s)) > 0)
    .join('/');
  return {
    outcome: {
      stage: view.stage.name,
      requests: view.stats.requests,
      failed: view.stats.failures,
      answered: countStatus(view.stats, (s) => s >= 200 && s < 400),
      statuses,
    },
    body: firstResponseBody(view, (s) => s >= 400),
  };
}

/**
 * The title and the fix of a mismatch: the finding's, and the warning the run logs when the
 * check runs (before the smoke stage).
 */
export function describeMismatch(m: OpenApiMismatch): { title: Words; fix: Words } {
  switch (m.kind) {
    case 'unknown-path':
      return { title: w('openapi.unknown-path.title', m), fix: w('openapi.unknown-path.fix', m) };
    case 'method-not-allowed':
      return {
        title: w('openapi.method-not-allowed.title', m),
        fix: w('openapi.method-not-allowed.fix', m),
      };
    case 'media-type':
      return { title: w('openapi.media-type.title', m), fix: w('openapi.media-type.fix', m) };
    case 'body-missing':
      return { title: w('openapi.body-missing.title', m), fix: w('openapi.body-missing.fix', m) };
    case 'fields-missing':
      return {
        title: w('openapi.fields-missing.title', m),
        fix: w('openapi.fields-missing.fix', m),
      };
    case 'security-missing':
      return {
        title: w('openapi.security-missing.title', m),
        fix: w('openapi.security-missing.fix', m),
      };
  }
}

/** What the document (read at `source`) says of the operation, and what the step sends. */
function mismatchEvidence(m: OpenApiMismatch, source: string): Words[] {
  switch (m.kind) {
    case 'unknown-path':
      return [w('openapi.unknown-path.spec', { ...m, source }), w('openapi.unknown-path.sent', m)];
    case 'method-not-allowed':
      return [
        w('openapi.method-not-allowed.spec', { ...m, source }),
        w('openapi.method-not-allowed.sent', m),
      ];
    case 'media-type':
      return [w('openapi.media-type.spec', { ...m, source }), w('openapi.media-type.sent', m)];
    case 'body-missing':
      return [w('openapi.body-missing.spec', { ...m, source }), w('openapi.body-missing.sent', m)];
    case 'fields-missing':
      return [
        w('openapi.fields-missing.spec', { ...m, source }),
        w('openapi.fields-missing.sent', m),
      ];
    case 'security-missing':
      return [
        w('openapi.security-missing.spec', { ...m, source }),
        w('openapi.security-missing.sent', m),
      ];
  }
}
