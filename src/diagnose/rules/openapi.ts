import type { OpenApiMismatch, SchemeNeed } from '../../model/openapi-evidence.js';
import type { FindingFacts } from '../../report/finding-words/words.js';
import { credentialsYaml } from '../../openapi/credentials-yaml.js';
import {
  countStatus,
  endpointViews,
  excerpt,
  firstResponseBody,
  fr,
  say,
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
    const texts = describeMismatch(input, m);
    const outcome = stepOutcome(input, m);
    const accepted = outcome !== undefined && (outcome.failed === 0 || outcome.answered > 0);
    return {
      id: IDS[m.kind],
      title: texts.title,
      confidence: accepted ? 0.3 : 0.95,
      priority: accepted ? 'low' : 'high',
      evidence: [
        `${say(input, 'OpenAPI document', 'document OpenAPI')} (${evidence.source})${say(input, ': ', ' : ')}${texts.spec}`,
        `${say(input, 'the scenario', 'le scénario')} (\`${m.stepPath}\`)${say(input, ': ', ' : ')}${texts.sent}`,
        say(
          input,
          'found by reading the document before the smoke stage, not from failed requests',
          'trouvé en lisant le document avant l’étape smoke, pas à partir de requêtes en échec',
        ),
        ...(outcome === undefined
          ? []
          : [
              accepted && outcome.failed > 0
                ? say(
                    input,
                    `yet the API accepted ${outcome.answered} of ${outcome.requests} requests of this step (2xx/3xx): the document may be out of date`,
                    `pourtant l’API a accepté ${outcome.answered} ${fr(outcome.answered, 'requête', 'requêtes')} sur ${outcome.requests} de cette étape (2xx/3xx) : le document n’est peut-être pas à jour`,
                  )
                : accepted
                  ? say(
                      input,
                      `yet the API answered all ${outcome.requests} requests of this step without a failure: the document may be out of date`,
                      `pourtant l’API a répondu aux ${outcome.requests} requêtes de cette étape sans échec : le document n’est peut-être pas à jour`,
                    )
                  : say(
                      input,
                      `${outcome.failed} of ${outcome.requests} requests of this step failed in the ${outcome.stage} stage${outcome.statuses ? ` (${outcome.statuses})` : ''}`,
                      `${outcome.failed} ${fr(outcome.failed, 'requête', 'requêtes')} sur ${outcome.requests} de cette étape ${fr(outcome.failed, 'a', 'ont')} échoué à l’étape ${outcome.stage}${outcome.statuses ? ` (${outcome.statuses})` : ''}`,
                    ),
            ]),
        // what the API answered: the document and the response agree, or the reader sees they do not
        ...(outcome?.body === undefined || accepted
          ? []
          : [`${say(input, 'response body: ', 'corps de la réponse : ')}${excerpt(outcome.body)}`]),
      ],
      actions: [{ text: texts.fix, priority: accepted ? 'low' : 'high', effort: '5 min' }],
    };
  });
};

/** How the step's requests went in the first stage that ran it, if it ran. */
function stepOutcome(
  input: DiagnoseInput,
  m: OpenApiMismatch,
):
  | {
      stage: string;
      requests: number;
      failed: number;
      answered: number;
      statuses: string;
      body?: string;
    }
  | undefined {
  const view = endpointViews(input).find((v) => v.stepPath === m.stepPath);
  if (!view) return undefined;
  const statuses = Object.keys(view.stats.statusCodes)
    .filter((s) => Number(s) >= 400 && countStatus(view.stats, (c) => c === Number(s)) > 0)
    .join('/');
  return {
    stage: view.stage.name,
    requests: view.stats.requests,
    failed: view.stats.failures,
    answered: countStatus(view.stats, (s) => s >= 200 && s < 400),
    statuses,
    body: firstResponseBody(view, (s) => s >= 400),
  };
}

const code = (text: string) => `\`${text}\``;
const list = (items: string[], or: string) => items.map(code).join(or);

/**
 * The title, what the spec says, what the scenario sends and the fix, in the report's locale.
 * Also what the run's log says when the check runs (before the smoke stage).
 */
export function describeMismatch(
  input: Pick<DiagnoseInput, 'locale'>,
  m: OpenApiMismatch,
): { title: string; spec: string; sent: string; fix: string } {
  const op = m.operation ? `${m.operation}${m.operationId ? ` (${m.operationId})` : ''}` : '';
  const request = `\`${m.stepPath}.request\``;
  switch (m.kind) {
    case 'unknown-path':
      return {
        title: say(
          input,
          `${m.step}: ${m.method} ${m.path} is not a path of the API's OpenAPI document`,
          `${m.step} : ${m.method} ${m.path} n’est pas un chemin du document OpenAPI de l’API`,
        ),
        spec: say(
          input,
          `no path matches ${code(m.path)}${m.similar.length ? `; similar paths: ${list(m.similar, ', ')}` : ''}`,
          `aucun chemin ne correspond à ${code(m.path)}${m.similar.length ? ` ; chemins proches : ${list(m.similar, ', ')}` : ''}`,
        ),
        sent: `${m.method} ${code(m.path)}`,
        fix: m.similar.length
          ? say(
              input,
              `In loadgate.yml, check ${request}.url: the API's document has ${list(m.similar, ' or ')}`,
              `Dans loadgate.yml, vérifier ${request}.url : le document de l’API a ${list(m.similar, ' ou ')}`,
            )
          : say(
              input,
              `In loadgate.yml, check ${request}.url against the paths of the API's OpenAPI document (and the target's base path)`,
              `Dans loadgate.yml, vérifier ${request}.url par rapport aux chemins du document OpenAPI de l’API (et au chemin de base de la cible)`,
            ),
      };
    case 'method-not-allowed':
      return {
        title: say(
          input,
          `${m.step}: the API's OpenAPI document does not allow ${m.method} on this path`,
          `${m.step} : le document OpenAPI de l’API n’autorise pas ${m.method} sur ce chemin`,
        ),
        spec: say(
          input,
          `${code(m.operation ?? '')}: allowed methods ${m.allowed.join(', ')}`,
          `${code(m.operation ?? '')} : méthodes autorisées ${m.allowed.join(', ')}`,
        ),
        sent: `method: ${m.method}`,
        fix: say(
          input,
          `In loadgate.yml, set ${request}.method to ${m.allowed.join(' or ')}, or check the URL`,
          `Dans loadgate.yml, mettre ${request}.method à ${m.allowed.join(' ou ')}, ou vérifier l’URL`,
        ),
      };
    case 'media-type': {
      const want = m.expected[0] ?? '';
      return {
        title: say(
          input,
          `${m.step} sends ${m.sent}, but the API's OpenAPI document says ${m.operation} takes ${m.expected.join(' or ')}`,
          `${m.step} envoie ${m.sent}, mais le document OpenAPI de l’API indique que ${m.operation} attend ${m.expected.join(' ou ')}`,
        ),
        spec: say(
          input,
          `${op}: requestBody content ${list(m.expected, ', ')}`,
          `${op} : contenu du requestBody ${list(m.expected, ', ')}`,
        ),
        sent: say(
          input,
          `${code(`${m.sentKey}:`)} sends the body as ${m.sent}`,
          `${code(`${m.sentKey}:`)} envoie le corps en ${m.sent}`,
        ),
        fix:
          m.sentKey === m.fixKey
            ? say(
                input,
                `In loadgate.yml, set the Content-Type of ${request} to ${want} (in \`headers:\` or \`content-type:\`)`,
                `Dans loadgate.yml, mettre le Content-Type de ${request} à ${want} (dans \`headers:\` ou \`content-type:\`)`,
              )
            : say(
                input,
                `In loadgate.yml, under ${request}, replace \`${m.sentKey}:\` with \`${m.fixKey}:\`${keyNote(input, m.fixKey, want)} so the body is sent as ${want}`,
                `Dans loadgate.yml, sous ${request}, remplacer \`${m.sentKey}:\` par \`${m.fixKey}:\`${keyNote(input, m.fixKey, want)} pour envoyer le corps en ${want}`,
              ),
      };
    }
    case 'body-missing': {
      const want = m.expected[0] ?? '';
      return {
        title: say(
          input,
          `${m.step} sends no body, but the API's OpenAPI document says ${m.operation} requires one`,
          `${m.step} n’envoie pas de corps, mais le document OpenAPI de l’API indique que ${m.operation} en exige un`,
        ),
        spec: say(
          input,
          `${op}: requestBody required, content ${list(m.expected, ', ')}`,
          `${op} : requestBody obligatoire, contenu ${list(m.expected, ', ')}`,
        ),
        sent: say(input, 'no body', 'aucun corps'),
        fix: say(
          input,
          `In loadgate.yml, add the body under ${request} with \`${m.fixKey}:\`${keyNote(input, m.fixKey, want)} (${want})`,
          `Dans loadgate.yml, ajouter le corps sous ${request} avec \`${m.fixKey}:\`${keyNote(input, m.fixKey, want)} (${want})`,
        ),
      };
    }
    case 'fields-missing':
      return {
        title: say(
          input,
          `${m.step} does not send ${list(m.fields, ', ')}, required by ${m.operation} in the API's OpenAPI document`,
          `${m.step} n’envoie pas ${list(m.fields, ', ')}, ${fr(m.fields.length, 'obligatoire', 'obligatoires')} pour ${m.operation} dans le document OpenAPI de l’API`,
        ),
        spec: say(
          input,
          `${op}: required fields of the ${m.mediaType} body: ${list(m.fields, ', ')}`,
          `${op} : champs obligatoires du corps ${m.mediaType} : ${list(m.fields, ', ')}`,
        ),
        sent: m.sent.length
          ? say(
              input,
              `fields sent: ${list(m.sent, ', ')}`,
              `champs envoyés : ${list(m.sent, ', ')}`,
            )
          : say(input, 'no field', 'aucun champ'),
        fix: say(
          input,
          `In loadgate.yml, add ${list(m.fields, ', ')} to the body of ${request} (the API's field names)`,
          `Dans loadgate.yml, ajouter ${list(m.fields, ', ')} au corps de ${request} (les noms de champs de l’API)`,
        ),
      };
    case 'security-missing': {
      const first = m.schemes[0];
      return {
        title: say(
          input,
          `${m.step} sends no credentials, but the API's OpenAPI document says ${m.operation} requires ${schemeList(m.schemes, ' or ')}`,
          `${m.step} n’envoie pas d’identifiants, mais le document OpenAPI de l’API indique que ${m.operation} exige ${schemeList(m.schemes, ' ou ')}`,
        ),
        spec: say(
          input,
          `${op}: security ${schemeList(m.schemes, ', ')}`,
          `${op} : sécurité ${schemeList(m.schemes, ', ')}`,
        ),
        sent: say(
          input,
          `no ${first ? carrier(first).en : 'credentials'} on this request`,
          `aucun ${first ? carrier(first).fr : 'identifiant'} sur cette requête`,
        ),
        fix: first
          ? say(
              input,
              `In loadgate.yml, send the credentials: add ${code(credentialsYaml(first))} to ${request}`,
              `Dans loadgate.yml, envoyer les identifiants : ajouter ${code(credentialsYaml(first))} à ${request}`,
            )
          : '',
      };
    }
  }
}

/** `form:` and `multipart:` take fields; `body:` a raw text with its type. */
function keyNote(input: Pick<DiagnoseInput, 'locale'>, key: string, type: string): string {
  return key === 'body'
    ? say(input, ` and \`content-type: ${type}\``, ` et \`content-type: ${type}\``)
    : '';
}

function schemeList(schemes: SchemeNeed[], or: string): string {
  return schemes
    .map((s) => `${s.name} (${s.type}${s.in ? ` in ${s.in} ${s.param}` : ''})`)
    .join(or);
}

/** What carries a scheme's credentials: the Authorization header, or the API key's place. */
function carrier(need: SchemeNeed): { en: string; fr: string } {
  if (need.type !== 'apiKey') return { en: 'Authorization header', fr: 'en-tête Authorization' };
  if (need.in === 'query') {
    return { en: `query parameter ${need.param}`, fr: `paramètre de requête ${need.param}` };
  }
  if (need.in === 'cookie') return { en: `cookie ${need.param}`, fr: `cookie ${need.param}` };
  return { en: `header ${need.param}`, fr: `en-tête ${need.param}` };
}
