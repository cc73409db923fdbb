/** The sentences of the `auth` rules (src/diagnose/rules/auth.ts), in each locale. */
import { plural } from './common.js';
import { ofTotal } from '../format-values.js';

/** How many of an endpoint's requests in a stage were refused, and with which statuses. */
export interface RefusedFacts {
  /** Requests answered one of `statuses`, of `requests`. */
  count: number;
  requests: number;
  /** `[422]`, `[400, 401]`: joined as `400/401`. */
  statuses: number[];
  stage: string;
}

/** A request sent as JSON where the API reads a form, and where it is written. */
export interface FormFacts {
  endpoint: string;
  /** Key path of the step in loadgate.yml (`scenario.setup[0]`); none for a locustfile. */
  stepPath?: string | undefined;
  /** The JSON fields sent, to send as form fields. */
  fields: string[];
}

/** Where the JSON body was sent from. */
export interface SentJsonFacts {
  /** The loadgate.yml key of the body (`scenario.setup[0].request.json`); none: a locustfile. */
  key?: string | undefined;
}

/** The Authorization header of the refused calls. */
export interface AuthorizationFacts {
  /** The header as the step configures it, or as the locustfile sent it; none: not sent. */
  value?: string | undefined;
  /** True when `value` is a step's template (`Bearer ${token}`), not the header as sent. */
  template: boolean;
}

/** What the refused call's body says about the token. */
export type TokenProblem = 'missing' | 'expired' | 'invalid' | 'scheme';

const code = (text: string) => `\`${text}\``;
const statuses = (a: RefusedFacts) => a.statuses.join('/');
/** A step's template with its variable elided: `Bearer ${…}`. */
const shown = (value: string) => value.replace(/\$\{[^}]+\}/, '${…}');

/** "3 of 5 requests answered 422 in the smoke stage". */
const answered = (a: RefusedFacts, what: string) =>
  `${ofTotal(a.count, a.requests, what)} answered ${statuses(a)} in the ${a.stage} stage`;

/** "3 requêtes sur 5 ont reçu 422 à l’étape smoke", with French agreement. */
const recu = (a: RefusedFacts, one: string, many: string) =>
  `${a.count} ${plural(a.count, one, many)} sur ${a.requests} ${plural(a.count, 'a', 'ont')} reçu ${statuses(a)} à l’étape ${a.stage}`;

const en = {
  'auth.request-format.title': (a: { endpoint: string }) =>
    `${a.endpoint} rejects the request body: it expects form data, not JSON`,
  'auth.request-format.answered': (a: RefusedFacts) => answered(a, 'requests'),
  'auth.request-format.sent-json': (a: SentJsonFacts) =>
    a.key
      ? `the request was sent as JSON (${code(a.key)})`
      : 'the locustfile sent the request as JSON (Content-Type: application/json)',
  'auth.request-format.json-unread': (a: { missing: string[] }) =>
    `the fields the API says are missing (${a.missing.join(', ')}) are the ones sent as JSON: it did not read the JSON body`,
  'auth.request-format.oauth-form': () =>
    'OAuth2 password login (FastAPI OAuth2PasswordRequestForm and most token endpoints) reads application/x-www-form-urlencoded fields',
  'auth.request-format.action': (a: FormFacts) =>
    `${a.stepPath ? `In loadgate.yml, under ${code(`${a.stepPath}.request`)}, replace \`json:\` with \`form:\`` : `In the locustfile, in the request to ${a.endpoint}, replace \`json=\` with \`data=\``}${a.fields.length ? ` (fields: ${a.fields.join(', ')})` : ''} so the body is sent as application/x-www-form-urlencoded`,

  'auth.invalid-credentials.title': (a: { endpoint: string }) =>
    `${a.endpoint} refuses the credentials`,
  'auth.invalid-credentials.answered': (a: RefusedFacts) => answered(a, 'login requests'),
  'auth.invalid-credentials.action': () =>
    'Check that the test account exists in the stack under test and that the secrets passed in `env:` hold its username and password',

  'auth.token-rejected.title': (a: { endpoint: string }) =>
    `The login works but ${a.endpoint} rejects its token`,
  'auth.token-rejected.answered': (a: RefusedFacts) =>
    `${answered(a, 'requests')}, while the login answered 2xx`,
  'auth.token-rejected.authorization': (a: AuthorizationFacts) =>
    a.value
      ? `Authorization header sent: ${code(shown(a.value))}${a.template ? ' (template)' : ''}`
      : 'no Authorization header is configured on this request',
  'auth.token-rejected.api-says': (a: { problem: TokenProblem }) =>
    ({
      scheme: 'the API says the authorization scheme is wrong (it expects `Bearer <token>`)',
      missing: 'the API says it received no token',
      expired: 'the API says the token has expired',
      invalid: 'the API says the token is invalid (malformed or badly signed)',
    })[a.problem],
  'auth.token-rejected.longer-lifetime': () =>
    'The token expires during the run (it is captured once per virtual user, by the setup): give tokens a lifetime longer than the run in the environment under test',
  'auth.token-rejected.send-scheme': (a: { stepPath: string }) =>
    `Send the token with its scheme: \`Authorization: "Bearer \${token}"\` in ${code(`${a.stepPath}.request.headers`)}`,
  'auth.token-rejected.check-capture': (a: { stepPath: string }) =>
    `Check the capture of the token (\`capture:\` of the login step) and the scheme in ${code(`${a.stepPath}.request.headers.Authorization`)} (usually \`Bearer \${token}\`)`,
  'auth.token-rejected.send-header': (a: { stepPath: string }) =>
    `Send the token: add \`headers: { Authorization: "Bearer \${token}" }\` to ${code(`${a.stepPath}.request`)}`,
  'auth.token-rejected.check-locustfile': (a: { endpoint: string }) =>
    `In the locustfile, check that the requests to ${a.endpoint} send the login's token, with its scheme: \`headers={"Authorization": f"Bearer {token}"}\``,
};

const fr: typeof en = {
  'auth.request-format.title': (a) =>
    `${a.endpoint} rejette le corps de la requête : il attend des données de formulaire, pas du JSON`,
  'auth.request-format.answered': (a) => recu(a, 'requête', 'requêtes'),
  'auth.request-format.sent-json': (a) =>
    a.key
      ? `la requête a été envoyée en JSON (${code(a.key)})`
      : 'le locustfile a envoyé la requête en JSON (Content-Type: application/json)',
  'auth.request-format.json-unread': (a) =>
    `les champs que l’API dit manquants (${a.missing.join(', ')}) sont ceux envoyés en JSON : elle n’a pas lu le corps JSON`,
  'auth.request-format.oauth-form': () =>
    'la connexion OAuth2 par mot de passe (OAuth2PasswordRequestForm de FastAPI et la plupart des endpoints de jeton) lit des champs application/x-www-form-urlencoded',
  'auth.request-format.action': (a) =>
    `${a.stepPath ? `Dans loadgate.yml, sous ${code(`${a.stepPath}.request`)}, remplacer \`json:\` par \`form:\`` : `Dans le locustfile, dans la requête vers ${a.endpoint}, remplacer \`json=\` par \`data=\``}${a.fields.length ? ` (champs : ${a.fields.join(', ')})` : ''} pour envoyer le corps en application/x-www-form-urlencoded`,

  'auth.invalid-credentials.title': (a) => `${a.endpoint} refuse les identifiants`,
  'auth.invalid-credentials.answered': (a) =>
    recu(a, 'requête de connexion', 'requêtes de connexion'),
  'auth.invalid-credentials.action': () =>
    'Vérifier que le compte de test existe dans la stack testée et que les secrets passés dans `env:` contiennent son identifiant et son mot de passe',

  'auth.token-rejected.title': (a) =>
    `La connexion fonctionne, mais ${a.endpoint} rejette le jeton qu’elle a délivré`,
  'auth.token-rejected.answered': (a) =>
    `${recu(a, 'requête', 'requêtes')}, alors que la connexion a répondu 2xx`,
  'auth.token-rejected.authorization': (a) =>
    a.value
      ? `en-tête Authorization envoyé : ${code(shown(a.value))}${a.template ? ' (modèle)' : ''}`
      : 'aucun en-tête Authorization n’est configuré sur cette requête',
  'auth.token-rejected.api-says': (a) =>
    ({
      scheme: 'l’API dit que le schéma d’autorisation est incorrect (elle attend `Bearer <jeton>`)',
      missing: 'l’API dit qu’elle n’a reçu aucun jeton',
      expired: 'l’API dit que le jeton a expiré',
      invalid: 'l’API dit que le jeton est invalide (malformé ou mal signé)',
    })[a.problem],
  'auth.token-rejected.longer-lifetime': () =>
    'Le jeton expire pendant l’exécution (il est capturé une fois par utilisateur virtuel, au setup) : donner aux jetons une durée de vie plus longue que l’exécution dans l’environnement testé',
  'auth.token-rejected.send-scheme': (a) =>
    `Envoyer le jeton avec son schéma : \`Authorization: "Bearer \${token}"\` dans ${code(`${a.stepPath}.request.headers`)}`,
  'auth.token-rejected.check-capture': (a) =>
    `Vérifier la capture du jeton (\`capture:\` de l’étape de connexion) et le schéma dans ${code(`${a.stepPath}.request.headers.Authorization`)} (en général \`Bearer \${token}\`)`,
  'auth.token-rejected.send-header': (a) =>
    `Envoyer le jeton : ajouter \`headers: { Authorization: "Bearer \${token}" }\` à ${code(`${a.stepPath}.request`)}`,
  'auth.token-rejected.check-locustfile': (a) =>
    `Dans le locustfile, vérifier que les requêtes vers ${a.endpoint} envoient le jeton de la connexion, avec son schéma : \`headers={"Authorization": f"Bearer {token}"}\``,
};

export const AUTH = { en, fr };
