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

/** A request body sent in a media type the endpoint does not read, and where it is written. */
export interface FormFacts {
  endpoint: string;
  /** Key path of the step in loadgate.yml (`scenario.setup[0]`); none for a locustfile. */
  stepPath?: string | undefined;
  /** How the body was sent, and what the API's answer says it reads (none: it does not say). */
  sent: SentBody;
  want?: 'form' | 'json' | undefined;
  /** The fields sent, to send the other way. */
  fields: string[];
}

export type SentBody = 'json' | 'form' | 'multipart' | 'raw' | 'none';

/** Where the body was sent from. */
export interface SentBodyFacts {
  /** The loadgate.yml key of the body (`scenario.setup[0].request.json`); none: a locustfile. */
  key?: string | undefined;
  sent: SentBody;
}

/** The Authorization header of the refused calls, without its token. */
export interface TokenSentFacts {
  sent: boolean;
  /** The scheme it was sent with (`Bearer`); none: a token without scheme. */
  scheme?: string | undefined;
  /** The variable the step sends (`token` of `${token}`). */
  variable?: string | undefined;
  /** A token written into loadgate.yml, not a captured variable. */
  fixed: boolean;
  /** True when this is the step's template, not the header as a locustfile sent it. */
  template: boolean;
}

/** What the refused call's answer says about the token. */
export type TokenProblem = 'missing' | 'expired' | 'invalid' | 'scheme' | 'unread';

/** What a token action is said from. */
export interface TokenAction {
  stepPath: string;
  /** The scheme to send: the one `WWW-Authenticate` names, else the one sent. */
  scheme?: string | undefined;
  /** Where the scheme comes from: the API's `WWW-Authenticate`, its answer, or a probe it accepted. */
  schemeSaid?: 'header' | 'body' | 'probe' | undefined;
  /** The captured variable that holds the login's token. */
  variable?: string | undefined;
}

const code = (text: string) => `\`${text}\``;
const statuses = (a: RefusedFacts) => a.statuses.join('/');

/** "3 of 5 requests answered 422 in the smoke stage". */
const answered = (a: RefusedFacts, what: string) =>
  `${ofTotal(a.count, a.requests, what)} answered ${statuses(a)} in the ${a.stage} stage`;

/** "3 requêtes sur 5 ont reçu 422 à l’étape smoke", with French agreement. */
const recu = (a: RefusedFacts, one: string, many: string) =>
  `${a.count} ${plural(a.count, one, many)} sur ${a.requests} ${plural(a.count, 'a', 'ont')} reçu ${statuses(a)} à l’étape ${a.stage}`;

const media = (sent: SentBody) =>
  ({
    json: 'JSON',
    form: 'form data',
    multipart: 'multipart data',
    raw: 'a raw body',
    none: 'no body',
  })[sent];
const mediaFr = (sent: SentBody) =>
  ({
    json: 'du JSON',
    form: 'des données de formulaire',
    multipart: 'des données multipart',
    raw: 'un corps brut',
    none: 'aucun corps',
  })[sent];
/** `Authorization: "Bearer ${token}"`, with what is known of the scheme and the variable. */
const header = (a: TokenAction) =>
  `\`Authorization: "${a.scheme ?? 'Bearer'} \${${a.variable ?? 'token'}}"\``;
const schemeNote = (a: TokenAction) =>
  a.schemeSaid
    ? ` (the scheme ${saidWhere(a)})`
    : a.scheme
      ? ''
      : ' (the API names no scheme: Bearer is the usual one, its documentation tells)';
const schemeNoteFr = (a: TokenAction) =>
  a.schemeSaid
    ? ` (le schéma ${saidWhereFr(a)})`
    : a.scheme
      ? ''
      : ' (l’API ne nomme aucun schéma : Bearer est l’usuel, sa documentation le dit)';
const saidWhere = (a: TokenAction) =>
  ({
    header: 'its `WWW-Authenticate` names',
    body: 'its answer names',
    probe: 'the API accepted when probed',
    none: 'the API reads (it says the one sent is wrong and names none: Bearer is the usual one)',
  })[a.schemeSaid ?? 'none'];
const saidWhereFr = (a: TokenAction) =>
  ({
    header: 'que nomme son `WWW-Authenticate`',
    body: 'que nomme sa réponse',
    probe: 'que l’API a accepté quand elle a été sondée',
    none: 'que lit l’API (elle dit que celui envoyé est faux sans en nommer : Bearer est l’usuel)',
  })[a.schemeSaid ?? 'none'];

/** `json:` → `form:` in loadgate.yml, `json=` → `data=` in a locustfile. */
const KEY = { json: 'json', form: 'form' } as const;
const LOCUST = { json: 'json=', form: 'data=' } as const;

const en = {
  'auth.request-format.title': (a: FormFacts) =>
    a.want
      ? `${a.endpoint} rejects the request body: it expects ${media(a.want)}, not ${media(a.sent)}`
      : `${a.endpoint} does not read the request body's media type (${media(a.sent)})`,
  'auth.request-format.answered': (a: RefusedFacts) => answered(a, 'requests'),
  'auth.request-format.sent-json': (a: SentBodyFacts) =>
    a.key
      ? `the request was sent as ${media(a.sent)} (${code(a.key)})`
      : `the locustfile sent the request as ${media(a.sent)}`,
  'auth.request-format.json-unread': (a: { missing: string[]; sent: SentBody }) =>
    `the fields the API says are missing (${a.missing.join(', ')}) are the ones sent as ${media(a.sent)}: it did not read the ${a.sent === 'json' ? 'JSON body' : 'body'}`,
  'auth.request-format.status-415': () =>
    '415 Unsupported Media Type: the API says it does not read the body in this media type',
  'auth.request-format.oauth-form': () =>
    'OAuth2 password login (FastAPI OAuth2PasswordRequestForm and most token endpoints) reads application/x-www-form-urlencoded fields',
  'auth.request-format.action': (a: FormFacts) =>
    a.want && (a.sent === 'json' || a.sent === 'form')
      ? `${a.stepPath ? `In loadgate.yml, under ${code(`${a.stepPath}.request`)}, replace \`${KEY[a.sent]}:\` with \`${KEY[a.want]}:\`` : `In the locustfile, in the request to ${a.endpoint}, replace \`${LOCUST[a.sent]}\` with \`${LOCUST[a.want]}\``}${a.fields.length ? ` (fields: ${a.fields.join(', ')})` : ''} so the body is sent as ${a.want === 'form' ? 'application/x-www-form-urlencoded' : 'application/json'}`
      : `Send the body of ${a.stepPath ? code(`${a.stepPath}.request`) : `the request to ${a.endpoint} in the locustfile`} in the media type the endpoint reads: it refused ${media(a.sent)} (${a.sent === 'json' ? '`form:` or `multipart:`' : '`json:`'}, as its documentation or OpenAPI document says)`,

  'auth.invalid-credentials.title': (a: { endpoint: string }) =>
    `${a.endpoint} refuses the credentials`,
  'auth.invalid-credentials.answered': (a: RefusedFacts) => answered(a, 'login requests'),
  'auth.invalid-credentials.action': () =>
    'Check that the test account exists in the stack under test and that the secrets passed in `env:` hold its username and password',

  'auth.token-rejected.title': (a: { endpoint: string; loginWorked: boolean }) =>
    a.loginWorked
      ? `The login works but ${a.endpoint} rejects its token`
      : `${a.endpoint} refuses the request's token`,
  'auth.token-rejected.answered': (a: RefusedFacts & { loginWorked: boolean }) =>
    `${answered(a, 'requests')}${a.loginWorked ? ', while the login answered 2xx' : ''}`,
  'auth.token-rejected.authorization': (a: TokenSentFacts) =>
    !a.sent
      ? 'no Authorization header was sent with this request'
      : a.fixed
        ? `Authorization header sent: ${code(`${a.scheme ? `${a.scheme} ` : ''}<a token written in loadgate.yml>`)}`
        : a.variable
          ? `Authorization header sent: ${code(`${a.scheme ? `${a.scheme} ` : ''}\${${a.variable}}`)} (template)`
          : `Authorization header sent${a.scheme ? ` with the scheme ${code(a.scheme)}` : ', without a scheme'}`,
  'auth.token-rejected.api-says': (a: { problem: TokenProblem; scheme?: string | undefined }) =>
    ({
      scheme: a.scheme
        ? `the API reads the scheme ${code(a.scheme)}, not the one sent`
        : 'the API says the authorization scheme is wrong',
      missing: 'the API says it received no token',
      expired: 'the API says the token has expired',
      invalid: 'the API says the token is invalid (malformed, badly signed or unknown to it)',
      unread: 'the API says it received no token, though one was sent',
    })[a.problem],
  'auth.token-rejected.longer-lifetime': () =>
    'The token expires during the run (it is captured once per virtual user, by the setup): give tokens a lifetime longer than the run in the environment under test',
  'auth.token-rejected.send-scheme': (a: TokenAction & { sentScheme?: string | undefined }) =>
    `Send the token with the scheme ${saidWhere(a)}: ${header(a)} in ${code(`${a.stepPath}.request.headers`)}${a.sentScheme ? `, not \`${a.sentScheme}\`` : ''}`,
  'auth.token-rejected.send-header': (a: TokenAction) =>
    `Send the login's token: add \`headers: { Authorization: "${a.scheme ?? 'Bearer'} \${${a.variable ?? 'token'}}" }\` to ${code(`${a.stepPath}.request`)}${schemeNote(a)}`,
  'auth.token-rejected.use-login-token': (a: TokenAction & { problem: 'expired' | 'invalid' }) =>
    `The token written in ${code(`${a.stepPath}.request.headers.Authorization`)} is ${a.problem === 'expired' ? 'expired' : 'not one this API accepts'}: send the one its login returns, ${header(a)}${a.variable ? '' : ', with `capture: { token: json.<its field> }` on the login step'}`,
  'auth.token-rejected.signing-key': (a: TokenAction) =>
    `The API refuses the token its own login issued: check that \`capture:\` takes the login's access token, and that every service or worker of the stack verifies tokens with the key the login signs them with (its JWT secret); then ${header(a)} in ${code(`${a.stepPath}.request.headers`)}`,
  'auth.token-rejected.unread': (a: TokenAction) =>
    `The API does not read the token where ${code(`${a.stepPath}.request.headers.Authorization`)} sends it: send it the way its documentation says (header, scheme or cookie)`,
  'auth.token-rejected.refused': (a: TokenAction & { status: number }) =>
    `The API answered ${a.status} to the token of ${code(`${a.stepPath}.request.headers.Authorization`)}, saying nothing loadgate reads: fix what its answer (above) names`,
  'auth.token-rejected.check-locustfile': (a: { endpoint: string }) =>
    `In the locustfile, check that the requests to ${a.endpoint} send the login's token, with the scheme the API reads: \`headers={"Authorization": f"Bearer {token}"}\``,
};

const fr: typeof en = {
  'auth.request-format.title': (a) =>
    a.want
      ? `${a.endpoint} rejette le corps de la requête : il attend ${mediaFr(a.want)}, pas ${mediaFr(a.sent)}`
      : `${a.endpoint} ne lit pas le type de média du corps de la requête (${mediaFr(a.sent)})`,
  'auth.request-format.answered': (a) => recu(a, 'requête', 'requêtes'),
  'auth.request-format.sent-json': (a) =>
    a.key
      ? `la requête a été envoyée en ${a.sent === 'json' ? 'JSON' : `tant que ${mediaFr(a.sent)}`} (${code(a.key)})`
      : `le locustfile a envoyé la requête en ${a.sent === 'json' ? 'JSON' : `tant que ${mediaFr(a.sent)}`}`,
  'auth.request-format.json-unread': (a) =>
    `les champs que l’API dit manquants (${a.missing.join(', ')}) sont ceux envoyés en ${a.sent === 'json' ? 'JSON' : 'formulaire'} : elle n’a pas lu le corps${a.sent === 'json' ? ' JSON' : ''}`,
  'auth.request-format.status-415': () =>
    '415 Unsupported Media Type : l’API dit ne pas lire le corps dans ce type de média',
  'auth.request-format.oauth-form': () =>
    'la connexion OAuth2 par mot de passe (OAuth2PasswordRequestForm de FastAPI et la plupart des endpoints de jeton) lit des champs application/x-www-form-urlencoded',
  'auth.request-format.action': (a) =>
    a.want && (a.sent === 'json' || a.sent === 'form')
      ? `${a.stepPath ? `Dans loadgate.yml, sous ${code(`${a.stepPath}.request`)}, remplacer \`${KEY[a.sent]}:\` par \`${KEY[a.want]}:\`` : `Dans le locustfile, dans la requête vers ${a.endpoint}, remplacer \`${LOCUST[a.sent]}\` par \`${LOCUST[a.want]}\``}${a.fields.length ? ` (champs : ${a.fields.join(', ')})` : ''} pour envoyer le corps en ${a.want === 'form' ? 'application/x-www-form-urlencoded' : 'application/json'}`
      : `Envoyer le corps de ${a.stepPath ? code(`${a.stepPath}.request`) : `la requête vers ${a.endpoint} dans le locustfile`} dans le type de média que l’endpoint lit : il a refusé ${mediaFr(a.sent)} (${a.sent === 'json' ? '`form:` ou `multipart:`' : '`json:`'}, comme le disent sa documentation ou son document OpenAPI)`,

  'auth.invalid-credentials.title': (a) => `${a.endpoint} refuse les identifiants`,
  'auth.invalid-credentials.answered': (a) =>
    recu(a, 'requête de connexion', 'requêtes de connexion'),
  'auth.invalid-credentials.action': () =>
    'Vérifier que le compte de test existe dans la stack testée et que les secrets passés dans `env:` contiennent son identifiant et son mot de passe',

  'auth.token-rejected.title': (a) =>
    a.loginWorked
      ? `La connexion fonctionne, mais ${a.endpoint} rejette le jeton qu’elle a délivré`
      : `${a.endpoint} refuse le jeton de la requête`,
  'auth.token-rejected.answered': (a) =>
    `${recu(a, 'requête', 'requêtes')}${a.loginWorked ? ', alors que la connexion a répondu 2xx' : ''}`,
  'auth.token-rejected.authorization': (a) =>
    !a.sent
      ? 'aucun en-tête Authorization n’a été envoyé avec cette requête'
      : a.fixed
        ? `en-tête Authorization envoyé : ${code(`${a.scheme ? `${a.scheme} ` : ''}<un jeton écrit dans loadgate.yml>`)}`
        : a.variable
          ? `en-tête Authorization envoyé : ${code(`${a.scheme ? `${a.scheme} ` : ''}\${${a.variable}}`)} (modèle)`
          : `en-tête Authorization envoyé${a.scheme ? ` avec le schéma ${code(a.scheme)}` : ', sans schéma'}`,
  'auth.token-rejected.api-says': (a) =>
    ({
      scheme: a.scheme
        ? `l’API lit le schéma ${code(a.scheme)}, pas celui envoyé`
        : 'l’API dit que le schéma d’autorisation est faux',
      missing: 'l’API dit qu’elle n’a reçu aucun jeton',
      expired: 'l’API dit que le jeton a expiré',
      invalid: 'l’API dit que le jeton est invalide (malformé, mal signé ou inconnu d’elle)',
      unread: 'l’API dit qu’elle n’a reçu aucun jeton, alors qu’un jeton a été envoyé',
    })[a.problem],
  'auth.token-rejected.longer-lifetime': () =>
    'Le jeton expire pendant l’exécution (il est capturé une fois par utilisateur virtuel, au setup) : donner aux jetons une durée de vie plus longue que l’exécution dans l’environnement testé',
  'auth.token-rejected.send-scheme': (a) =>
    `Envoyer le jeton avec le schéma ${saidWhereFr(a)} : ${header(a)} dans ${code(`${a.stepPath}.request.headers`)}${a.sentScheme ? `, pas \`${a.sentScheme}\`` : ''}`,
  'auth.token-rejected.send-header': (a) =>
    `Envoyer le jeton de la connexion : ajouter \`headers: { Authorization: "${a.scheme ?? 'Bearer'} \${${a.variable ?? 'token'}}" }\` à ${code(`${a.stepPath}.request`)}${schemeNoteFr(a)}`,
  'auth.token-rejected.use-login-token': (a) =>
    `Le jeton écrit dans ${code(`${a.stepPath}.request.headers.Authorization`)} ${a.problem === 'expired' ? 'a expiré' : 'n’est pas un jeton que cette API accepte'} : envoyer celui que sa connexion renvoie, ${header(a)}${a.variable ? '' : ', avec `capture: { token: json.<son champ> }` sur l’étape de connexion'}`,
  'auth.token-rejected.signing-key': (a) =>
    `L’API refuse le jeton que sa propre connexion a délivré : vérifier que \`capture:\` prend le jeton d’accès de la connexion, et que chaque service ou worker de la stack vérifie les jetons avec la clé qui les signe (son secret JWT) ; puis ${header(a)} dans ${code(`${a.stepPath}.request.headers`)}`,
  'auth.token-rejected.unread': (a) =>
    `L’API ne lit pas le jeton là où ${code(`${a.stepPath}.request.headers.Authorization`)} l’envoie : l’envoyer comme sa documentation le dit (en-tête, schéma ou cookie)`,
  'auth.token-rejected.refused': (a) =>
    `L’API a répondu ${a.status} au jeton de ${code(`${a.stepPath}.request.headers.Authorization`)}, sans rien dire que loadgate sache lire : corriger ce que sa réponse (ci-dessus) nomme`,
  'auth.token-rejected.check-locustfile': (a) =>
    `Dans le locustfile, vérifier que les requêtes vers ${a.endpoint} envoient le jeton de la connexion, avec le schéma que l’API lit : \`headers={"Authorization": f"Bearer {token}"}\``,
};

export const AUTH = { en, fr };
