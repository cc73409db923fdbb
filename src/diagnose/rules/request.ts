import type { FieldsMissingFacts } from '../../report/finding-words/request.js';
import { w, type FindingFacts } from '../../report/finding-words/words.js';
import { endpointViews, excerpt, type EndpointView, type Rule } from '../context.js';
import { formatRejection, sentAsJson } from './auth.js';

/**
 * The body says a field is missing that the request does not send (under that name, or in that
 * place): name the API's field, and which of ours it probably replaces. Never "switch to form":
 * the API read the body, it wants other fields.
 */
export const fieldsMissing: Rule = (input) =>
  endpointViews(input)
    .flatMap((v) => {
      const rejection = formatRejection(v);
      const says = rejection?.says;
      if (!rejection || says?.kind !== 'fields-missing') return [];
      const sent = sentAsJson(v)?.fields ?? Object.keys(formFields(v));
      const missing = says.fields.filter(
        (f) => !sent.includes(f.name) || (f.location && f.location !== 'body'),
      );
      if (missing.length === 0) return [];
      return [{ v, status: rejection.status, body: rejection.body, missing, sent }];
    })
    .slice(0, 1)
    .map(({ v, status, body, missing, sent }): FindingFacts => {
      const required = new Set(missing.map((f) => f.name));
      // our fields the API did not ask for: the likely misnamed ones
      const extra = sent.filter((f) => !required.has(f));
      const where = missing[0]?.location;
      const facts: FieldsMissingFacts = {
        endpoint: v.stats.name,
        stage: v.stage.name,
        status,
        count: v.stats.statusCodes[String(status)] ?? 0,
        requests: v.stats.requests,
        sent,
        missing,
        replaced:
          missing.length === 1 && (!where || where === 'body')
            ? likelyReplaced(missing[0]!.name, extra)
            : undefined,
        stepPath: v.stepPath,
      };
      return {
        id: 'request.fields-missing',
        title: w('request.fields-missing.title', facts),
        confidence: 0.9,
        priority: 'high',
        evidence: [
          w('request.fields-missing.answered', facts),
          w('request.fields-missing.sent', facts),
          w('common.response-body', { body: excerpt(body) }),
        ],
        actions: [
          { text: w('request.fields-missing.action', facts), priority: 'high', effort: '5 min' },
        ],
      };
    });

/** Roles a field name plays, to pair the API's field with the one of ours it replaces. */
const ROLES = [/user|login|e-?mail|name|account|ident/i, /pass|pwd|secret|pin/i, /token|code/i];

/** Which of our unasked-for fields the API's field probably replaces: the one of the same role. */
function likelyReplaced(wanted: string, extra: string[]): string | undefined {
  const role = ROLES.find((r) => r.test(wanted));
  const same = role ? extra.filter((f) => role.test(f)) : [];
  if (same.length === 1) return same[0];
  return extra.length === 1 ? extra[0] : undefined;
}

/** The form fields a step sends (a login sent with `form:`). */
function formFields(v: EndpointView): Record<string, string> {
  const body = v.step?.request.body;
  return body?.kind === 'form' ? body.fields : {};
}
