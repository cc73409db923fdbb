import type { FormFacts, RefusedFacts, TokenProblem } from '../../report/finding-words/auth.js';
import { w, type FindingFacts, type Words } from '../../report/finding-words/words.js';
import {
  countStatus,
  endpointViews,
  excerpt,
  firstResponseBody,
  LOGIN_PATH,
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
    .flatMap((v) => {
      const confidence = wantsAnotherMediaType(v);
      const rejection = formatRejection(v);
      const sent = sentAsJson(v);
      if (confidence === undefined || !rejection || !sent) return [];
      return [{ v, confidence, rejection, sent }];
    })
    // the API's own document already names this step's media type: one finding, not two
    .filter(
      ({ v }) =>
        !input.result?.openapi?.mismatches.some(
          (m) => m.kind === 'media-type' && m.stepPath === v.stepPath,
        ),
    )
    .slice(0, 1)
    .map(({ v, confidence, rejection, sent }): FindingFacts => {
      const { status, body, says } = rejection;
      const missing = missingBodyFields(says);
      const form: FormFacts = { endpoint: v.stats.name, stepPath: v.stepPath, fields: sent.fields };
      return {
        id: 'auth.request-format',
        title: w('auth.request-format.title', { endpoint: v.stats.name }),
        confidence,
        priority: confidence >= 0.9 ? 'high' : 'medium',
        evidence: [
          w('auth.request-format.answered', refused(v, [status])),
          w('auth.request-format.sent-json', { key: v.stepPath && `${v.stepPath}.request.json` }),
          w('common.response-body', { body: excerpt(body) }),
          ...(missing.length > 0 ? [w('auth.request-format.json-unread', { missing })] : []),
          ...(LOGIN_PATH.test(sent.url) ? [w('auth.request-format.oauth-form')] : []),
        ],
        actions: [
          { text: w('auth.request-format.action', form), priority: 'high', effort: '5 min' },
        ],
      };
    });

const isAuthStatus = (s: number) => s === 401 || s === 403;

/** How many of an endpoint's requests answered one of `statuses`, in which stage. */
function refused(v: EndpointView, statuses: number[]): RefusedFacts {
  return {
    count: countStatus(v.stats, (s) => statuses.includes(s)),
    requests: v.stats.requests,
    statuses,
    stage: v.stage.name,
  };
}

/** The statuses an endpoint answered that `matches` accepts, in order. */
function statusesAnswered(v: EndpointView, matches: (s: number) => boolean): number[] {
  return Object.keys(v.stats.statusCodes).map(Number).filter(matches);
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
      title: w('auth.invalid-credentials.title', { endpoint: v.stats.name }),
      confidence: 0.85,
      priority: 'high',
      evidence: [
        w('auth.invalid-credentials.answered', refused(v, statusesAnswered(v, refusedLogin(v)))),
        w('common.response-body', { body: excerpt(firstResponseBody(v, refusedLogin(v))) }),
      ],
      actions: [{ text: w('auth.invalid-credentials.action'), priority: 'high', effort: '15 min' }],
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
      const refusal = v.stats.errors.find((e) => e.status !== undefined && isAuthStatus(e.status));
      // a locustfile has no step: the headers of the refused exchange kept as evidence
      const headers = v.step?.request.headers ?? refusal?.sample.request.headers ?? {};
      const auth = Object.entries(headers).find(([k]) => k.toLowerCase() === 'authorization')?.[1];
      const says = refusal?.status
        ? whatTheBodySays(refusal.status, refusal.sample.response?.body)
        : undefined;
      const token = says?.kind === 'token' ? says : undefined;
      // "Bearer token expired" names the scheme, but says the token expired
      const problem: TokenProblem | undefined =
        token && token.problem !== 'expired' && /scheme|bearer/i.test(token.message)
          ? 'scheme'
          : token?.problem;
      const count = countStatus(v.stats, isAuthStatus);
      // the body agreeing that the token is the problem is a second, independent signal
      const sure = count === v.stats.requests;
      return {
        id: 'auth.token-rejected',
        title: w('auth.token-rejected.title', { endpoint: v.stats.name }),
        confidence: (sure ? 0.85 : 0.6) + (token ? 0.05 : 0),
        priority: sure ? 'high' : 'medium',
        evidence: [
          w('auth.token-rejected.answered', refused(v, [401, 403])),
          w('auth.token-rejected.authorization', { value: auth, template: v.step !== undefined }),
          w('common.response-body', { body: excerpt(firstResponseBody(v, isAuthStatus)) }),
          ...(problem ? [w('auth.token-rejected.api-says', { problem })] : []),
        ],
        actions: [
          { text: sendToken(v, problem, Boolean(auth)), priority: 'high', effort: '10 min' },
        ],
      };
    });
};

/**
 * What to do about the refused token: a longer lifetime when it expires; else, in loadgate.yml,
 * send its scheme, check the capture, or send the header at all; in a locustfile, check both.
 */
function sendToken(v: EndpointView, problem: TokenProblem | undefined, sent: boolean): Words {
  if (problem === 'expired') return w('auth.token-rejected.longer-lifetime');
  if (!v.stepPath) return w('auth.token-rejected.check-locustfile', { endpoint: v.stats.name });
  const { stepPath } = v;
  if (problem === 'scheme') return w('auth.token-rejected.send-scheme', { stepPath });
  return sent
    ? w('auth.token-rejected.check-capture', { stepPath })
    : w('auth.token-rejected.send-header', { stepPath });
}
