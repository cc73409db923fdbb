import type { Finding } from '../../model/verdict.js';
import { endpointViews, excerpt, fr, say, type EndpointView, type Rule } from '../context.js';
import { formatRejection, sentAsJson } from './auth.js';

/** Where a field the API wants goes, in loadgate.yml's words. */
function whereItGoes(location: string | undefined): string {
  if (location === 'query' || location === 'parameter') return 'query';
  if (location === 'header') return 'headers';
  return 'json';
}

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
    .map(({ v, status, body, missing, sent }): Finding => {
      const required = new Set(missing.map((f) => f.name));
      // our fields the API did not ask for: the likely misnamed ones
      const extra = sent.filter((f) => !required.has(f));
      const names = missing.map((f) => `\`${f.name}\``).join(', ');
      const where = missing[0]?.location;
      const replaced =
        missing.length === 1 && (!where || where === 'body')
          ? likelyReplaced(missing[0]!.name, extra)
          : undefined;
      const pairing = replaced
        ? { en: ` instead of \`${replaced}\``, fr: ` au lieu de \`${replaced}\`` }
        : { en: '', fr: '' };
      const place = v.stepPath
        ? `\`${v.stepPath}.request.${whereItGoes(where)}\``
        : say(
            input,
            `the request to ${v.stats.name} in the locustfile`,
            `la requête vers ${v.stats.name} dans le locustfile`,
          );
      return {
        id: 'request.fields-missing',
        title: say(
          input,
          `${v.stats.name} expects ${names}${where && where !== 'body' ? ` (in the ${where})` : ''}, which the request does not send`,
          `${v.stats.name} attend ${names}${where && where !== 'body' ? ` (dans ${where})` : ''}, que la requête n’envoie pas`,
        ),
        confidence: 0.9,
        priority: 'high',
        evidence: [
          say(
            input,
            `${countOf(v, status)} of ${v.stats.requests} requests answered ${status} in the ${v.stage.name} stage`,
            `${countOf(v, status)} ${fr(countOf(v, status), 'requête', 'requêtes')} sur ${v.stats.requests} ${fr(countOf(v, status), 'a', 'ont')} reçu ${status} à l’étape ${v.stage.name}`,
          ),
          say(
            input,
            `the request sent: ${sent.length ? sent.map((f) => `\`${f}\``).join(', ') : 'no field'}; the API says it misses: ${missing.map((f) => `${f.name}${f.location ? ` (${f.location})` : ''}`).join(', ')}`,
            `la requête a envoyé : ${sent.length ? sent.map((f) => `\`${f}\``).join(', ') : 'aucun champ'} ; l’API dit qu’il manque : ${missing.map((f) => `${f.name}${f.location ? ` (${f.location})` : ''}`).join(', ')}`,
          ),
          `${say(input, 'response body: ', 'corps de la réponse : ')}${excerpt(body)}`,
        ],
        actions: [
          {
            text: say(
              input,
              `Send ${names} (the API's field${missing.length > 1 ? 's' : ''})${pairing.en} in ${place}`,
              `Envoyer ${names} (${missing.length > 1 ? 'les champs' : 'le champ'} de l’API)${pairing.fr} dans ${place}`,
            ),
            priority: 'high',
            effort: '5 min',
          },
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

function countOf(v: EndpointView, status: number): number {
  return v.stats.statusCodes[String(status)] ?? 0;
}

/** The form fields a step sends (a login sent with `form:`). */
function formFields(v: EndpointView): Record<string, string> {
  const body = v.step?.request.body;
  return body?.kind === 'form' ? body.fields : {};
}
