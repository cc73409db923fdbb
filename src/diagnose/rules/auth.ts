import type { FindingFacts } from '../../report/finding-words/words.js';
import {
  fr,
  countStatus,
  endpointViews,
  excerpt,
  firstResponseBody,
  LOGIN_PATH,
  say,
  type EndpointView,
  type Rule,
} from '../context.js';
import { whatTheBodySays, type BodySays } from '../response-says.js';

const isFormatStatus = (s: number) => s === 422 || s === 415 || s === 400;

/**
 * How a failing request was sent as JSON: by its scenario step (`json:`), or, without a step (a
 * user's locustfile), by the content type of the failing exchange kept as evidence.
 */
export function sentAsJson(v: EndpointView): { fields: string[]; url: string } | undefined {
  if (v.step) {
    const body = v.step.request.body;
    if (body?.kind !== 'json') return undefined;
    const json = body.value;
    return {
      fields: json && typeof json === 'object' ? Object.keys(json) : [],
      url: v.step.request.url,
    };
  }
  const request = v.stats.errors.find((e) => e.status !== undefined && isFormatStatus(e.status))
    ?.sample.request;
  const type = Object.entries(request?.headers ?? {}).find(
    ([k]) => k.toLowerCase() === 'content-type',
  )?.[1];
  if (!request || !type || !/json/i.test(type)) return undefined;
  let fields: string[] = [];
  try {
    const json: unknown = JSON.parse(request.body ?? '');
    if (json && typeof json === 'object' && !Array.isArray(json)) fields = Object.keys(json);
  } catch {
    // a body cut to the sample size: no field names
  }
  return { fields, url: request.url };
}

/** The first 422/415/400 of an endpoint, and what its body says. */
export function formatRejection(
  v: EndpointView,
): { status: number; body?: string; says?: BodySays } | undefined {
  const group = v.stats.errors.find((e) => e.status !== undefined && isFormatStatus(e.status));
  if (group?.status === undefined) return undefined;
  const body = group.sample.response?.body;
  return { status: group.status, body, says: whatTheBodySays(group.status, body) };
}

/** Fields the body says are missing from the request body (not a query or header). */
export function missingBodyFields(says: BodySays | undefined): string[] {
  return says?.kind === 'fields-missing'
    ? says.fields.filter((f) => !f.location || f.location === 'body').map((f) => f.name)
    : [];
}

/**
 * How sure we are that a JSON body was sent where the API reads another media type, from what
 * the response says (never against it): the fields it misses are the ones we sent (it did not
 * read the JSON), or it names the content type; with a body that says nothing we know, only a
 * login path hints at a form (OAuth2 password logins read form fields).
 */
function wantsAnotherMediaType(v: EndpointView): number | undefined {
  const sent = sentAsJson(v);
  const rejection = formatRejection(v);
  if (!sent || !rejection) return undefined;
  const { says } = rejection;
  if (says?.kind === 'content-type') return 0.9;
  if (says?.kind === 'fields-missing') {
    const missing = missingBodyFields(says);
    return missing.length > 0 && missing.every((f) => sent.fields.includes(f)) ? 0.9 : undefined;
  }
  if (says) return undefined; // credentials, token, CSRF: the body was read
  return LOGIN_PATH.test(sent.url) ? 0.6 : undefined;
}

/** A 422/415/400 whose body says the JSON we sent was not read: it wants a form. */
export const requestFormat: Rule = (input) =>
  endpointViews(input)
    .filter((v) => wantsAnotherMediaType(v) !== undefined)
    // the API's own document already names this step's media type: one finding, not two
    .filter(
      (v) =>
        !input.result?.openapi?.mismatches.some(
          (m) => m.kind === 'media-type' && m.stepPath === v.stepPath,
        ),
    )
    .slice(0, 1)
    .map((v): FindingFacts => {
      const { status, body } = formatRejection(v) ?? { status: 0 };
      const confidence = wantsAnotherMediaType(v) ?? 0.6;
      const missing = missingBodyFields(formatRejection(v)?.says);
      const { fields, url } = sentAsJson(v) ?? { fields: [], url: '' };
      const oauth = LOGIN_PATH.test(url);
      const rejected = countStatus(v.stats, (s) => s === status);
      const listed = fields.length ? ` (fields: ${fields.join(', ')})` : '';
      const listedFr = fields.length ? ` (champs : ${fields.join(', ')})` : '';
      return {
        id: 'auth.request-format',
        title: say(
          input,
          `${v.stats.name} rejects the request body: it expects form data, not JSON`,
          `${v.stats.name} rejette le corps de la requête : il attend des données de formulaire, pas du JSON`,
        ),
        confidence,
        priority: confidence >= 0.9 ? 'high' : 'medium',
        evidence: [
          say(
            input,
            `${rejected} of ${v.stats.requests} requests answered ${status} in the ${v.stage.name} stage`,
            `${rejected} ${fr(rejected, 'requête', 'requêtes')} sur ${v.stats.requests} ${fr(rejected, 'a', 'ont')} reçu ${status} à l’étape ${v.stage.name}`,
          ),
          v.step
            ? say(
                input,
                `the request was sent as JSON (${v.stepPath}.request.json)`,
                `la requête a été envoyée en JSON (${v.stepPath}.request.json)`,
              )
            : say(
                input,
                'the locustfile sent the request as JSON (Content-Type: application/json)',
                'le locustfile a envoyé la requête en JSON (Content-Type: application/json)',
              ),
          `${say(input, 'response body: ', 'corps de la réponse : ')}${excerpt(body)}`,
          ...(missing.length > 0
            ? [
                say(
                  input,
                  `the fields it says are missing (${missing.join(', ')}) are the ones sent as JSON: it did not read the JSON body`,
                  `les champs qu’elle dit manquants (${missing.join(', ')}) sont ceux envoyés en JSON : elle n’a pas lu le corps JSON`,
                ),
              ]
            : []),
          ...(oauth
            ? [
                say(
                  input,
                  'OAuth2 password login (FastAPI OAuth2PasswordRequestForm and most token endpoints) reads application/x-www-form-urlencoded fields',
                  'la connexion OAuth2 par mot de passe (OAuth2PasswordRequestForm de FastAPI et la plupart des endpoints de jeton) lit des champs application/x-www-form-urlencoded',
                ),
              ]
            : []),
        ],
        actions: [
          {
            text: v.step
              ? say(
                  input,
                  `In loadgate.yml, under \`${v.stepPath}.request\`, replace \`json:\` with \`form:\`${listed} so the body is sent as application/x-www-form-urlencoded`,
                  `Dans loadgate.yml, sous \`${v.stepPath}.request\`, remplacer \`json:\` par \`form:\`${listedFr} pour envoyer le corps en application/x-www-form-urlencoded`,
                )
              : say(
                  input,
                  `In the locustfile, in the request to ${v.stats.name}, replace \`json=\` with \`data=\`${listed} so the body is sent as application/x-www-form-urlencoded`,
                  `Dans le locustfile, dans la requête vers ${v.stats.name}, remplacer \`json=\` par \`data=\`${listedFr} pour envoyer le corps en application/x-www-form-urlencoded`,
                ),
            priority: 'high',
            effort: '5 min',
          },
        ],
      };
    });

const isAuthStatus = (s: number) => s === 401 || s === 403;

function statusList(v: EndpointView, statuses: (s: number) => boolean): string {
  return Object.keys(v.stats.statusCodes)
    .filter((s) => statuses(Number(s)))
    .join('/');
}

/** A login's refusals: 401/403, or a 400/422 whose body says the credentials are wrong. */
function refusedLogin(v: EndpointView): (s: number) => boolean {
  const says = formatRejection(v)?.says;
  return says?.kind === 'credentials-rejected'
    ? (s) => isAuthStatus(s) || isFormatStatus(s)
    : isAuthStatus;
}

/** The login itself answers 401/403: the credentials are wrong (or the account is missing). */
export const invalidCredentials: Rule = (input) =>
  endpointViews(input)
    .filter(
      (v) =>
        (v.setup || LOGIN_PATH.test(v.step?.request.url ?? v.stats.name)) &&
        countStatus(v.stats, refusedLogin(v)) > 0,
    )
    .slice(0, 1)
    .map((v): FindingFacts => ({
      id: 'auth.invalid-credentials',
      title: say(
        input,
        `${v.stats.name} refuses the credentials`,
        `${v.stats.name} refuse les identifiants`,
      ),
      confidence: 0.85,
      priority: 'high',
      evidence: [
        say(
          input,
          `${countStatus(v.stats, refusedLogin(v))} of ${v.stats.requests} login requests answered ${statusList(v, refusedLogin(v))} in the ${v.stage.name} stage`,
          frRefused(
            countStatus(v.stats, refusedLogin(v)),
            v.stats.requests,
            v.stage.name,
            statusList(v, refusedLogin(v)),
          ),
        ),
        `${say(input, 'response body: ', 'corps de la réponse : ')}${excerpt(firstResponseBody(v, refusedLogin(v)))}`,
      ],
      actions: [
        {
          text: say(
            input,
            'Check that the test account exists in the stack under test and that the secrets passed in `env:` hold its username and password',
            'Vérifier que le compte de test existe dans la stack testée et que les secrets passés dans `env:` contiennent son identifiant et son mot de passe',
          ),
          priority: 'high',
          effort: '15 min',
        },
      ],
    }));

/** The login works, but calls that carry its token are refused: the token is not sent right. */
export const tokenRejected: Rule = (input) => {
  const views = endpointViews(input);
  // the login: a setup step, or (a locustfile has no steps) a request to a login path
  const isLogin = (v: EndpointView) => v.setup || (!v.step && LOGIN_PATH.test(v.stats.name));
  const loginWorked = views.some(
    (v) => isLogin(v) && countStatus(v.stats, (s) => s >= 200 && s < 300) > 0,
  );
  if (!loginWorked) return [];
  return views
    .filter((v) => !isLogin(v) && countStatus(v.stats, isAuthStatus) > 0)
    .slice(0, 1)
    .map((v): FindingFacts => {
      // a locustfile has no step: the headers of the refused exchange kept as evidence
      const headers =
        v.step?.request.headers ??
        v.stats.errors.find((e) => e.status !== undefined && isAuthStatus(e.status))?.sample.request
          .headers ??
        {};
      const auth = Object.entries(headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
      const count = countStatus(v.stats, isAuthStatus);
      const refused = v.stats.errors.find((e) => e.status !== undefined && isAuthStatus(e.status));
      const says = refused?.status
        ? whatTheBodySays(refused.status, refused.sample.response?.body)
        : undefined;
      const token = says?.kind === 'token' ? says : undefined;
      // the body agreeing that the token is the problem is a second, independent signal
      const sure = count === v.stats.requests;
      const schemeWrong = token !== undefined && /scheme|bearer/i.test(token.message);
      return {
        id: 'auth.token-rejected',
        title: say(
          input,
          `The login works but ${v.stats.name} rejects its token`,
          `La connexion fonctionne mais ${v.stats.name} rejette son jeton`,
        ),
        confidence: (sure ? 0.85 : 0.6) + (token ? 0.05 : 0),
        priority: sure ? 'high' : 'medium',
        evidence: [
          say(
            input,
            `${count} of ${v.stats.requests} requests answered 401/403 in the ${v.stage.name} stage, while the login answered 2xx`,
            `${count} ${fr(count, 'requête', 'requêtes')} sur ${v.stats.requests} ${fr(count, 'a', 'ont')} reçu 401/403 à l’étape ${v.stage.name}, alors que la connexion a répondu 2xx`,
          ),
          auth
            ? say(
                input,
                `Authorization header sent: \`${auth.replace(/\$\{[^}]+\}/, '${…}')}\`${v.step ? ' (template)' : ''}`,
                `en-tête Authorization envoyé : \`${auth.replace(/\$\{[^}]+\}/, '${…}')}\`${v.step ? ' (modèle)' : ''}`,
              )
            : say(
                input,
                'no Authorization header is configured on this request',
                'aucun en-tête Authorization n’est configuré sur cette requête',
              ),
          `${say(input, 'response body: ', 'corps de la réponse : ')}${excerpt(firstResponseBody(v, isAuthStatus))}`,
          ...(token ? [tokenSays(input, token.problem, schemeWrong)] : []),
        ],
        actions: [
          {
            text:
              token?.problem === 'expired'
                ? say(
                    input,
                    `The token expires during the run (it is captured once per virtual user, by the setup): give tokens a lifetime longer than the run in the environment under test`,
                    `Le jeton expire pendant l’exécution (il est capturé une fois par utilisateur virtuel, au setup) : donner aux jetons une durée de vie plus longue que l’exécution dans l’environnement testé`,
                  )
                : schemeWrong && v.step
                  ? say(
                      input,
                      `Send the token with its scheme: \`Authorization: "Bearer \${token}"\` in \`${v.stepPath}.request.headers\``,
                      `Envoyer le jeton avec son schéma : \`Authorization: "Bearer \${token}"\` dans \`${v.stepPath}.request.headers\``,
                    )
                  : !v.step
                    ? say(
                        input,
                        `In the locustfile, check that the requests to ${v.stats.name} send the login's token, with its scheme: \`headers={"Authorization": f"Bearer {token}"}\``,
                        `Dans le locustfile, vérifier que les requêtes vers ${v.stats.name} envoient le jeton de la connexion, avec son schéma : \`headers={"Authorization": f"Bearer {token}"}\``,
                      )
                    : auth
                      ? say(
                          input,
                          `Check the capture of the token (\`capture:\` of the login step) and the scheme in \`${v.stepPath}.request.headers.Authorization\` (usually \`Bearer \${token}\`)`,
                          `Vérifier la capture du jeton (\`capture:\` de l’étape de connexion) et le schéma dans \`${v.stepPath}.request.headers.Authorization\` (en général \`Bearer \${token}\`)`,
                        )
                      : say(
                          input,
                          `Send the token: add \`headers: { Authorization: "Bearer \${token}" }\` to \`${v.stepPath}.request\``,
                          `Envoyer le jeton : ajouter \`headers: { Authorization: "Bearer \${token}" }\` à \`${v.stepPath}.request\``,
                        ),
            priority: 'high',
            effort: '10 min',
          },
        ],
      };
    });
};

/** What the refused call's body says about the token, as evidence. */
function tokenSays(
  input: Parameters<Rule>[0],
  problem: 'missing' | 'expired' | 'invalid',
  schemeWrong: boolean,
): string {
  if (schemeWrong) {
    return say(
      input,
      'the API says the authorization scheme is wrong (it expects `Bearer <token>`)',
      'l’API dit que le schéma d’autorisation est incorrect (elle attend `Bearer <jeton>`)',
    );
  }
  const what = {
    missing: ['it received no token', 'elle n’a reçu aucun jeton'],
    expired: ['the token has expired', 'le jeton a expiré'],
    invalid: [
      'the token is invalid (malformed or badly signed)',
      'le jeton est invalide (malformé ou mal signé)',
    ],
  }[problem];
  return say(input, `the API says ${what[0]}`, `l’API dit que ${what[1]}`);
}

/** "1 requête de connexion sur 3 a reçu 401/403", with French agreement. */
function frRefused(n: number, of: number, stage: string, statuses = '401/403'): string {
  return `${n} ${fr(n, 'requête de connexion', 'requêtes de connexion')} sur ${of} ${fr(n, 'a', 'ont')} reçu ${statuses} à l’étape ${stage}`;
}
