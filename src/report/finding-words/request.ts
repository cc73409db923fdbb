import { plural } from './common.js';
import { ofTotal } from '../format-values.js';

/** A field the API says is missing, and where it wants it. */
export interface WantedField {
  name: string;
  location?: string | undefined;
}

/** What `request.fields-missing` is said from. */
export interface FieldsMissingFacts {
  endpoint: string;
  stage: string;
  status: number;
  /** Requests answered `status`, of `requests`. */
  count: number;
  requests: number;
  /** The fields the request sent. */
  sent: string[];
  missing: WantedField[];
  /** Our field the API's one probably replaces. */
  replaced?: string | undefined;
  /** Key path of the step in loadgate.yml (`scenario.setup[0]`); none for a locustfile. */
  stepPath?: string | undefined;
}

const code = (name: string) => `\`${name}\``;
const names = (a: FieldsMissingFacts) => a.missing.map((f) => code(f.name)).join(', ');
const where = (a: FieldsMissingFacts) => a.missing[0]?.location;
const isBody = (a: FieldsMissingFacts) => !where(a) || where(a) === 'body';
const wanted = (a: FieldsMissingFacts) =>
  a.missing.map((f) => `${f.name}${f.location ? ` (${f.location})` : ''}`).join(', ');

/** Where a field the API wants goes, in loadgate.yml's words. */
function configKey(location: string | undefined): string {
  if (location === 'query' || location === 'parameter') return 'query';
  if (location === 'header') return 'headers';
  return 'json';
}

/** An endpoint and its step, for the CSRF finding. */
export interface CsrfFacts {
  endpoint: string;
  stepPath?: string | undefined;
}

/** A refusal loadgate does not understand, quoted. */
export interface RejectedFacts extends CsrfFacts {
  status: number;
  reason: string;
  /** What the API's answer says, cut short. */
  message: string;
}

const requestKey = (a: CsrfFacts) =>
  a.stepPath ? code(`${a.stepPath}.request`) : `the request to ${a.endpoint} in the locustfile`;
const requestKeyFr = (a: CsrfFacts) =>
  a.stepPath ? code(`${a.stepPath}.request`) : `la requête vers ${a.endpoint} dans le locustfile`;

const en = {
  'request.csrf.title': (a: CsrfFacts) =>
    `${a.endpoint} refuses the request for want of a CSRF token`,
  'request.csrf.action': (a: CsrfFacts) =>
    `Send the CSRF token the framework expects with ${requestKey(a)}: a setup step fetches it (the page or endpoint that sets the CSRF cookie; \`capture:\` it from \`header.set-cookie\` or the body) and the step sends it back with its cookie, in the header the framework reads (\`X-CSRF-Token\`; Django: \`X-CSRFToken\`; Laravel: \`X-XSRF-TOKEN\`). An API called with tokens rather than a session cookie can instead be exempted from CSRF`,
  'request.rejected.title': (a: RejectedFacts) =>
    `${a.endpoint} refuses the request: ${a.status} ${a.reason}`,
  'request.rejected.action': (a: RejectedFacts) =>
    `The API answered ${a.status}${a.message ? ` “${a.message}”` : ''}: fix what it names in ${requestKey(a)}`,
  'request.fields-missing.title': (a: FieldsMissingFacts) =>
    `${a.endpoint} expects ${names(a)}${isBody(a) ? '' : ` (in the ${where(a)})`}, which the request does not send`,
  'request.fields-missing.answered': (a: FieldsMissingFacts) =>
    `${ofTotal(a.count, a.requests)} answered ${a.status} in the ${a.stage} stage`,
  'request.fields-missing.sent': (a: FieldsMissingFacts) =>
    `the request sent: ${a.sent.length ? a.sent.map(code).join(', ') : 'no field'}; the API says it misses: ${wanted(a)}`,
  'request.fields-missing.action': (a: FieldsMissingFacts) =>
    `Send ${names(a)} (the API's field${a.missing.length > 1 ? 's' : ''})${a.replaced ? ` instead of ${code(a.replaced)}` : ''} in ${a.stepPath ? code(`${a.stepPath}.request.${configKey(where(a))}`) : `the request to ${a.endpoint} in the locustfile`}`,
};

const fr: typeof en = {
  'request.csrf.title': (a) => `${a.endpoint} refuse la requête faute de jeton CSRF`,
  'request.csrf.action': (a) =>
    `Envoyer le jeton CSRF qu’attend le framework avec ${requestKeyFr(a)} : une étape de setup le récupère (la page ou l’endpoint qui pose le cookie CSRF ; \`capture:\` depuis \`header.set-cookie\` ou le corps) et l’étape le renvoie avec son cookie, dans l’en-tête que lit le framework (\`X-CSRF-Token\` ; Django : \`X-CSRFToken\` ; Laravel : \`X-XSRF-TOKEN\`). Une API appelée avec des jetons plutôt qu’un cookie de session peut aussi être exemptée de CSRF`,
  'request.rejected.title': (a) => `${a.endpoint} refuse la requête : ${a.status} ${a.reason}`,
  'request.rejected.action': (a) =>
    `L’API a répondu ${a.status}${a.message ? ` « ${a.message} »` : ''} : corriger ce qu’elle nomme dans ${requestKeyFr(a)}`,
  'request.fields-missing.title': (a) =>
    `${a.endpoint} attend ${names(a)}${isBody(a) ? '' : ` (dans ${where(a)})`}, que la requête n’envoie pas`,
  'request.fields-missing.answered': (a) =>
    `${a.count} ${plural(a.count, 'requête', 'requêtes')} sur ${a.requests} ${plural(a.count, 'a', 'ont')} reçu ${a.status} à l’étape ${a.stage}`,
  'request.fields-missing.sent': (a) =>
    `la requête a envoyé : ${a.sent.length ? a.sent.map(code).join(', ') : 'aucun champ'} ; l’API dit qu’il manque : ${wanted(a)}`,
  'request.fields-missing.action': (a) =>
    `Envoyer ${names(a)} (${a.missing.length > 1 ? 'les champs' : 'le champ'} de l’API)${a.replaced ? ` au lieu de ${code(a.replaced)}` : ''} dans ${a.stepPath ? code(`${a.stepPath}.request.${configKey(where(a))}`) : `la requête vers ${a.endpoint} dans le locustfile`}`,
};

export const REQUEST = { en, fr };
