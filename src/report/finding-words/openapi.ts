/** The sentences of the `openapi` rules (src/diagnose/rules/openapi.ts), in each locale. */
import type { BodyKey, OpenApiMismatch, SchemeNeed } from '../../model/openapi-evidence.js';
import { credentialsYaml } from '../../openapi/credentials-yaml.js';
import { plural } from './common.js';
import { ofTotal } from '../format-values.js';

/** A mismatch of one kind, as the check found it: what its sentences are said from. */
export type Mismatch<K extends OpenApiMismatch['kind']> = Extract<OpenApiMismatch, { kind: K }>;

/** A mismatch and where the API's document was read (URL or file): its evidence line. */
export type DocumentedMismatch<K extends OpenApiMismatch['kind']> = Mismatch<K> & {
  source: string;
};

/** How a mismatched step's requests went in the first stage that ran it. */
export interface StepOutcomeFacts {
  stage: string;
  requests: number;
  failed: number;
  /** Requests answered 2xx/3xx. */
  answered: number;
  /** The failure statuses, `404/405`; empty when none. */
  statuses: string;
}

const code = (text: string) => `\`${text}\``;
const list = (items: string[], or: string) => items.map(code).join(or);
/** `scenario.setup[0].request`, as a code span. */
const request = (m: OpenApiMismatch) => code(`${m.stepPath}.request`);
/** A key under the step's request, in one code span: `scenario.tasks[0].request.url`. */
const requestKey = (m: OpenApiMismatch, key: string) => code(`${m.stepPath}.request.${key}`);
/** The operation and its operationId: `POST /token (login_token_post)`. */
const op = (m: OpenApiMismatch) =>
  m.operation ? `${m.operation}${m.operationId ? ` (${m.operationId})` : ''}` : '';
/** A mismatch fixed by sending the body under `fixKey:` (body-missing, media-type). */
interface BodyFix {
  expected: string[];
  fixKey: BodyKey;
}
/** The media type the fix sends the body as: the document's first. */
const want = (m: BodyFix) => m.expected[0] ?? '';
const statuses = (a: StepOutcomeFacts) => (a.statuses ? ` (${a.statuses})` : '');

/** Where the evidence comes from: the document, or the step in loadgate.yml. */
const documentEn = (a: { source: string }) => `OpenAPI document (${a.source}): `;
const scenarioEn = (m: OpenApiMismatch) => `the scenario (${code(m.stepPath)}): `;

/** `form:` and `multipart:` take fields; `body:` a raw text with its type. */
const keyNoteEn = (m: BodyFix) => (m.fixKey === 'body' ? ` and \`content-type: ${want(m)}\`` : '');

/** What carries a scheme's credentials: the Authorization header, or the API key's place. */
function carrierEn(need: SchemeNeed): string {
  if (need.type !== 'apiKey') return 'Authorization header';
  if (need.in === 'query') return `query parameter ${need.param}`;
  if (need.in === 'cookie') return `cookie ${need.param}`;
  return `header ${need.param}`;
}

/** The schemes the operation requires: name, type and, for an API key, where it goes. */
const schemesEn = (schemes: SchemeNeed[], or: string) =>
  schemes.map((s) => `${s.name} (${s.type}${s.in ? ` in ${s.in} ${s.param}` : ''})`).join(or);

const en = {
  'openapi.found-before-smoke': () =>
    'found by reading the document before the smoke stage, not from failed requests',
  'openapi.step-accepted': (a: StepOutcomeFacts) =>
    a.failed > 0
      ? `yet the API accepted ${ofTotal(a.answered, a.requests)} of this step (2xx/3xx): the document may be out of date`
      : `yet the API answered ${a.requests === 1 ? 'the only request' : `all ${a.requests} requests`} of this step without a failure: the document may be out of date`,
  'openapi.step-failed': (a: StepOutcomeFacts) =>
    `${ofTotal(a.failed, a.requests)} of this step failed in the ${a.stage} stage${statuses(a)}`,

  'openapi.unknown-path.title': (m: Mismatch<'unknown-path'>) =>
    `${m.step}: ${m.method} ${m.path} is not a path of the API's OpenAPI document`,
  'openapi.unknown-path.spec': (m: DocumentedMismatch<'unknown-path'>) =>
    `${documentEn(m)}no path matches ${code(m.path)}${m.similar.length ? `; similar paths: ${list(m.similar, ', ')}` : ''}`,
  'openapi.unknown-path.sent': (m: Mismatch<'unknown-path'>) =>
    `${scenarioEn(m)}${m.method} ${code(m.path)}`,
  'openapi.unknown-path.fix': (m: Mismatch<'unknown-path'>) =>
    m.similar.length
      ? `In loadgate.yml, check ${requestKey(m, 'url')}: the API's document has ${list(m.similar, ' or ')}`
      : `In loadgate.yml, check ${requestKey(m, 'url')} against the paths of the API's OpenAPI document (and the target's base path)`,

  'openapi.method-not-allowed.title': (m: Mismatch<'method-not-allowed'>) =>
    `${m.step}: the API's OpenAPI document does not allow ${m.method} on this path`,
  'openapi.method-not-allowed.spec': (m: DocumentedMismatch<'method-not-allowed'>) =>
    `${documentEn(m)}${code(m.operation ?? '')}: allowed methods ${m.allowed.join(', ')}`,
  'openapi.method-not-allowed.sent': (m: Mismatch<'method-not-allowed'>) =>
    `${scenarioEn(m)}method: ${m.method}`,
  'openapi.method-not-allowed.fix': (m: Mismatch<'method-not-allowed'>) =>
    `In loadgate.yml, set ${requestKey(m, 'method')} to ${m.allowed.join(' or ')}, or check the URL`,

  'openapi.media-type.title': (m: Mismatch<'media-type'>) =>
    `${m.step} sends ${m.sent}, but the API's OpenAPI document says ${m.operation} takes ${m.expected.join(' or ')}`,
  'openapi.media-type.spec': (m: DocumentedMismatch<'media-type'>) =>
    `${documentEn(m)}${op(m)}: requestBody content ${list(m.expected, ', ')}`,
  'openapi.media-type.sent': (m: Mismatch<'media-type'>) =>
    `${scenarioEn(m)}${code(`${m.sentKey}:`)} sends the body as ${m.sent}`,
  'openapi.media-type.fix': (m: Mismatch<'media-type'>) =>
    m.sentKey === m.fixKey
      ? `In loadgate.yml, set the Content-Type of ${request(m)} to ${want(m)} (in \`headers:\` or \`content-type:\`)`
      : `In loadgate.yml, under ${request(m)}, replace \`${m.sentKey}:\` with \`${m.fixKey}:\`${keyNoteEn(m)} so the body is sent as ${want(m)}`,

  'openapi.body-missing.title': (m: Mismatch<'body-missing'>) =>
    `${m.step} sends no body, but the API's OpenAPI document says ${m.operation} requires one`,
  'openapi.body-missing.spec': (m: DocumentedMismatch<'body-missing'>) =>
    `${documentEn(m)}${op(m)}: requestBody required, content ${list(m.expected, ', ')}`,
  'openapi.body-missing.sent': (m: Mismatch<'body-missing'>) => `${scenarioEn(m)}no body`,
  'openapi.body-missing.fix': (m: Mismatch<'body-missing'>) =>
    `In loadgate.yml, add the body under ${request(m)} with \`${m.fixKey}:\`${keyNoteEn(m)} (${want(m)})`,

  'openapi.fields-missing.title': (m: Mismatch<'fields-missing'>) =>
    `${m.step} does not send ${list(m.fields, ', ')}, required by ${m.operation} in the API's OpenAPI document`,
  'openapi.fields-missing.spec': (m: DocumentedMismatch<'fields-missing'>) =>
    `${documentEn(m)}${op(m)}: required fields of the ${m.mediaType} body: ${list(m.fields, ', ')}`,
  'openapi.fields-missing.sent': (m: Mismatch<'fields-missing'>) =>
    `${scenarioEn(m)}${m.sent.length ? `fields sent: ${list(m.sent, ', ')}` : 'no field'}`,
  'openapi.fields-missing.fix': (m: Mismatch<'fields-missing'>) =>
    `In loadgate.yml, add ${list(m.fields, ', ')} to the body of ${request(m)} (the API's field names)`,

  'openapi.security-missing.title': (m: Mismatch<'security-missing'>) =>
    `${m.step} sends no credentials, but the API's OpenAPI document says ${m.operation} requires ${schemesEn(m.schemes, ' or ')}`,
  'openapi.security-missing.spec': (m: DocumentedMismatch<'security-missing'>) =>
    `${documentEn(m)}${op(m)}: security ${schemesEn(m.schemes, ', ')}`,
  'openapi.security-missing.sent': (m: Mismatch<'security-missing'>) =>
    `${scenarioEn(m)}no ${m.schemes[0] ? carrierEn(m.schemes[0]) : 'credentials'} on this request`,
  'openapi.security-missing.fix': (m: Mismatch<'security-missing'>) =>
    m.schemes[0]
      ? `In loadgate.yml, send the credentials: add ${code(credentialsYaml(m.schemes[0]))} to ${request(m)}`
      : `In loadgate.yml, add to ${request(m)} the credentials the API's OpenAPI document asks for`,
};

// the helpers above, in French
const documentFr = (a: { source: string }) => `document OpenAPI (${a.source}) : `;
const scenarioFr = (m: OpenApiMismatch) => `le scénario (${code(m.stepPath)}) : `;

const keyNoteFr = (m: BodyFix) => (m.fixKey === 'body' ? ` et \`content-type: ${want(m)}\`` : '');

function carrierFr(need: SchemeNeed): string {
  if (need.type !== 'apiKey') return 'en-tête Authorization';
  if (need.in === 'query') return `paramètre de requête ${need.param}`;
  if (need.in === 'cookie') return `cookie ${need.param}`;
  return `en-tête ${need.param}`;
}

/** « ApiKeyAuth (apiKey dans l’en-tête X-API-Key) »: the place with its article. */
const schemesFr = (schemes: SchemeNeed[], or: string) =>
  schemes
    .map(
      (s) =>
        `${s.name} (${s.type}${s.in ? ` dans ${s.in === 'header' ? 'l’' : 'le '}${carrierFr(s)}` : ''})`,
    )
    .join(or);

const fr: typeof en = {
  'openapi.found-before-smoke': () =>
    'trouvé en lisant le document avant l’étape smoke, pas à partir de requêtes en échec',
  'openapi.step-accepted': (a) =>
    a.failed > 0
      ? `pourtant l’API a accepté ${a.answered} ${plural(a.answered, 'requête', 'requêtes')} sur ${a.requests} de cette étape (2xx/3xx) : le document n’est peut-être pas à jour`
      : `pourtant l’API a répondu ${a.requests === 1 ? 'à la seule requête' : `aux ${a.requests} requêtes`} de cette étape sans échec : le document n’est peut-être pas à jour`,
  'openapi.step-failed': (a) =>
    `${a.failed} ${plural(a.failed, 'requête', 'requêtes')} sur ${a.requests} de cette étape ${plural(a.failed, 'a', 'ont')} échoué à l’étape ${a.stage}${statuses(a)}`,

  'openapi.unknown-path.title': (m) =>
    `${m.step} : ${m.method} ${m.path} n’est pas un chemin du document OpenAPI de l’API`,
  'openapi.unknown-path.spec': (m) =>
    `${documentFr(m)}aucun chemin ne correspond à ${code(m.path)}${m.similar.length ? ` ; chemins proches : ${list(m.similar, ', ')}` : ''}`,
  'openapi.unknown-path.sent': (m) => `${scenarioFr(m)}${m.method} ${code(m.path)}`,
  'openapi.unknown-path.fix': (m) =>
    m.similar.length
      ? `Dans loadgate.yml, vérifier ${requestKey(m, 'url')} : le document de l’API contient ${list(m.similar, ' ou ')}`
      : `Dans loadgate.yml, vérifier ${requestKey(m, 'url')} par rapport aux chemins du document OpenAPI de l’API (et au chemin de base de la cible)`,

  'openapi.method-not-allowed.title': (m) =>
    `${m.step} : le document OpenAPI de l’API n’autorise pas ${m.method} sur ce chemin`,
  'openapi.method-not-allowed.spec': (m) =>
    `${documentFr(m)}${code(m.operation ?? '')} : ${plural(m.allowed.length, 'méthode autorisée', 'méthodes autorisées')} ${m.allowed.join(', ')}`,
  'openapi.method-not-allowed.sent': (m) => `${scenarioFr(m)}méthode ${m.method}`,
  'openapi.method-not-allowed.fix': (m) =>
    `Dans loadgate.yml, mettre ${requestKey(m, 'method')} à ${m.allowed.join(' ou ')}, ou vérifier l’URL`,

  'openapi.media-type.title': (m) =>
    `${m.step} envoie ${m.sent}, mais le document OpenAPI de l’API indique que ${m.operation} attend ${m.expected.join(' ou ')}`,
  'openapi.media-type.spec': (m) =>
    `${documentFr(m)}${op(m)} : contenu du requestBody ${list(m.expected, ', ')}`,
  'openapi.media-type.sent': (m) =>
    `${scenarioFr(m)}${code(`${m.sentKey}:`)} envoie le corps en ${m.sent}`,
  'openapi.media-type.fix': (m) =>
    m.sentKey === m.fixKey
      ? `Dans loadgate.yml, mettre le Content-Type de ${request(m)} à ${want(m)} (dans \`headers:\` ou \`content-type:\`)`
      : `Dans loadgate.yml, sous ${request(m)}, remplacer \`${m.sentKey}:\` par \`${m.fixKey}:\`${keyNoteFr(m)} pour envoyer le corps en ${want(m)}`,

  'openapi.body-missing.title': (m) =>
    `${m.step} n’envoie pas de corps, mais le document OpenAPI de l’API indique que ${m.operation} en exige un`,
  'openapi.body-missing.spec': (m) =>
    `${documentFr(m)}${op(m)} : requestBody obligatoire, contenu ${list(m.expected, ', ')}`,
  'openapi.body-missing.sent': (m) => `${scenarioFr(m)}aucun corps`,
  'openapi.body-missing.fix': (m) =>
    `Dans loadgate.yml, ajouter le corps sous ${request(m)} avec \`${m.fixKey}:\`${keyNoteFr(m)} (${want(m)})`,

  'openapi.fields-missing.title': (m) =>
    `${m.step} n’envoie pas ${list(m.fields, ', ')}, ${plural(m.fields.length, 'obligatoire', 'obligatoires')} pour ${m.operation} dans le document OpenAPI de l’API`,
  'openapi.fields-missing.spec': (m) =>
    `${documentFr(m)}${op(m)} : champs obligatoires du corps ${m.mediaType} : ${list(m.fields, ', ')}`,
  'openapi.fields-missing.sent': (m) =>
    `${scenarioFr(m)}${m.sent.length ? `champs envoyés : ${list(m.sent, ', ')}` : 'aucun champ'}`,
  'openapi.fields-missing.fix': (m) =>
    `Dans loadgate.yml, ajouter ${list(m.fields, ', ')} au corps de ${request(m)} (les noms de champs de l’API)`,

  'openapi.security-missing.title': (m) =>
    `${m.step} n’envoie pas d’identifiants, mais le document OpenAPI de l’API indique que ${m.operation} exige ${schemesFr(m.schemes, ' ou ')}`,
  'openapi.security-missing.spec': (m) =>
    `${documentFr(m)}${op(m)} : sécurité ${schemesFr(m.schemes, ', ')}`,
  'openapi.security-missing.sent': (m) =>
    `${scenarioFr(m)}aucun ${m.schemes[0] ? carrierFr(m.schemes[0]) : 'identifiant'} sur cette requête`,
  'openapi.security-missing.fix': (m) =>
    m.schemes[0]
      ? `Dans loadgate.yml, envoyer les identifiants : ajouter ${code(credentialsYaml(m.schemes[0]))} à ${request(m)}`
      : `Dans loadgate.yml, ajouter à ${request(m)} les identifiants que demande le document OpenAPI de l’API`,
};

export const OPENAPI = { en, fr };
