import type { TokenSentFacts } from '../report/finding-words/auth.js';
import { w, type Words } from '../report/finding-words/words.js';
import type { ErrorGroup, ProbeHypothesis, ProbeOutcome } from '../model/run-result.js';
import {
  endpointViews,
  evidenceLogLines,
  failureWindow,
  type DiagnoseInput,
  type EndpointView,
} from './context.js';
import { PHRASES, saysAny } from './response-phrases.js';
import { whatTheResponseSays, type FieldError, type ResponseSays } from './response-says.js';

/** A 4xx an endpoint answered, with what its body and headers say. */
export interface Refusal {
  status: number;
  body?: string;
  headers: Record<string, string>;
  says: ResponseSays;
  /** The failures it was read from; none when only the status counts were kept. */
  group?: ErrorGroup;
}

/** How the refused request was sent: its body's media type and fields, its Authorization. */
export interface SentRequest {
  body: 'json' | 'form' | 'multipart' | 'raw' | 'none';
  /** The body's top-level field names (JSON object keys, form fields). */
  fields: string[];
  url: string;
  /** The Authorization header: the step's template (`Bearer ${token}`) or as the locustfile sent it. */
  authorization?: string;
  /** True when `authorization` is a step's template, not the header as sent. */
  template: boolean;
}

/**
 * Why a 4xx was answered, from what the API said, each refusal read once so that no two rules
 * explain it two ways:
 * - `csrf`: the body names CSRF (or 419, Laravel's);
 * - `media-type`: 415, the body names a media type, or every field it says is missing is one
 *   the request sent (it did not read the body);
 * - `fields-missing`: it names fields the request does not send (under that name);
 * - `credentials`: it says the credentials are wrong, or a request carrying a password got
 *   401/403 with nothing else said;
 * - `token`: a 401, or a 403 that says something of a token, challenges with
 *   `WWW-Authenticate`, or refuses a request carrying an Authorization header;
 * - `unexplained`: anything else (the honest finding quotes it).
 * 404, 405 and 429 have rules of their own and are not refusals here.
 */
export type RefusalCause =
  | { kind: 'csrf'; logLine?: string }
  | { kind: 'media-type'; unread: string[]; want?: 'json' | 'form' }
  | { kind: 'fields-missing'; missing: FieldError[] }
  | { kind: 'credentials' }
  | { kind: 'token' }
  | { kind: 'unexplained' };

const OWN_RULES = new Set([404, 405, 429]);

const isRefusal = (s: number) => s >= 400 && s < 500 && !OWN_RULES.has(s);

/**
 * The first refusal of an endpoint (a 4xx its own rules do not explain), read from its kept
 * sample; from its status counts alone when no sample was kept.
 */
export function refusalOf(v: EndpointView): Refusal | undefined {
  const group = v.stats.errors.find((e) => e.status !== undefined && isRefusal(e.status));
  if (group?.status === undefined) {
    const status = Object.keys(v.stats.statusCodes).map(Number).find(isRefusal);
    const says = status === undefined ? undefined : whatTheResponseSays(status, undefined);
    return status !== undefined && says ? { status, headers: {}, says } : undefined;
  }
  const response = group.sample.response;
  const headers = response?.headers ?? {};
  const says = whatTheResponseSays(group.status, response?.body, headers);
  return says ? { status: group.status, body: response?.body, headers, says, group } : undefined;
}

const header = (headers: Record<string, string>, name: string) =>
  Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];

/** How an endpoint's request was sent: by its step, else by the refused exchange's sample. */
export function sentRequest(v: EndpointView, refusal?: Refusal): SentRequest {
  const sample = (refusal?.group ?? v.stats.errors[0])?.sample.request;
  if (v.step) {
    const { body, url, headers } = v.step.request;
    const authorization = header(headers, 'authorization');
    return {
      body: body?.kind ?? 'none',
      fields:
        body?.kind === 'json' && body.value && typeof body.value === 'object'
          ? Object.keys(body.value)
          : body?.kind === 'form' || body?.kind === 'multipart'
            ? Object.keys(body.fields)
            : [],
      url,
      ...(authorization ? { authorization } : {}),
      template: true,
    };
  }
  const type = header(sample?.headers ?? {}, 'content-type') ?? '';
  const kind = /json/i.test(type)
    ? 'json'
    : /x-www-form-urlencoded/i.test(type)
      ? 'form'
      : /multipart/i.test(type)
        ? 'multipart'
        : sample?.body
          ? 'raw'
          : 'none';
  const authorization = header(sample?.headers ?? {}, 'authorization');
  return {
    body: kind,
    fields: bodyFields(kind, sample?.body),
    url: sample?.url ?? v.stats.name,
    ...(authorization ? { authorization } : {}),
    template: false,
  };
}

function bodyFields(kind: SentRequest['body'], body: string | undefined): string[] {
  if (!body) return [];
  if (kind === 'form') return [...new URLSearchParams(body).keys()];
  if (kind !== 'json') return [];
  try {
    const json: unknown = JSON.parse(body);
    return json && typeof json === 'object' && !Array.isArray(json) ? Object.keys(json) : [];
  } catch {
    return []; // a body cut to the sample size: no field names
  }
}

const PASSWORD_FIELD = /pass(word)?|pwd|secret/i;

/** The other of JSON and form: what an endpoint that refused one reads. */
export const OTHER = { json: 'form', form: 'json' } as const;

/**
 * Why the API refused the request, from what it said (see `RefusalCause`); `logLine`: a line of
 * the stack's log, written while it refused, that names CSRF (Rack::Protection logs it, its 403
 * says only "Forbidden").
 */
export function refusalCause(refusal: Refusal, sent: SentRequest, logLine?: string): RefusalCause {
  const { says, status } = refusal;
  const auth = status === 401 || status === 403;
  if (says.meanings.includes('csrf') || status === 419) return { kind: 'csrf' };
  // Rack::Protection answers 403 "Forbidden", Rails 422: their log names CSRF
  if (logLine && [400, 403, 419, 422].includes(status)) return { kind: 'csrf', logLine };
  const other = sent.body === 'json' || sent.body === 'form' ? OTHER[sent.body] : undefined;
  if (status === 415 || says.meanings[0] === 'media-type')
    return { kind: 'media-type', unread: [], ...(other ? { want: other } : {}) };
  // "Invalid JSON", "value is not a valid dict": it reads JSON, and was sent something else
  if (says.meanings.includes('json-expected') && sent.body !== 'json' && sent.body !== 'none')
    return { kind: 'media-type', unread: [], want: 'json' };
  // the fields it names that the request lacks: said missing, or not sent under that name (in
  // any case: ASP.NET names `Username` for `username`, Go validators the struct's field)
  const sentNames = new Set(sent.fields.map((f) => f.toLowerCase()));
  const wasSent = (name: string) => sentNames.has(name.toLowerCase());
  const inBody = says.fields.filter((f) => !f.location || f.location === 'body');
  const lacking = says.fields.filter(
    (f) => f.missing || (!wasSent(f.name) && (!f.location || f.location === 'body')),
  );
  const saidMissing = inBody.filter((f) => f.missing);
  if (
    saidMissing.length > 0 &&
    (sent.body === 'json' || sent.body === 'form') &&
    saidMissing.every((f) => wasSent(f.name))
  )
    return {
      kind: 'media-type',
      unread: saidMissing.map((f) => f.name),
      ...(other ? { want: other } : {}),
    };
  const notSent = lacking.filter((f) => !wasSent(f.name) || (f.location && f.location !== 'body'));
  if (notSent.length > 0) return { kind: 'fields-missing', missing: notSent };
  if (says.meanings.includes('credentials-rejected')) return { kind: 'credentials' };
  const tokenSaid = says.meanings.some((m) => m.startsWith('token-'));
  if (auth && !tokenSaid && sent.fields.some((f) => PASSWORD_FIELD.test(f)))
    return { kind: 'credentials' };
  // a 401 says by itself that the request lacks valid credentials (RFC 9110)
  if (
    tokenSaid ||
    status === 401 ||
    (auth && (says.challenges.length > 0 || sent.authorization !== undefined))
  )
    return { kind: 'token' };
  return { kind: 'unexplained' };
}

/** An endpoint's refusal read: what was sent, the cause, and the probes sent about it. */
export interface RefusedEndpoint {
  v: EndpointView;
  refusal: Refusal;
  sent: SentRequest;
  cause: RefusalCause;
  /** The probes of its step (`diagnose.probes`); the confirmed one decided `cause`. */
  probes: ProbeOutcome[];
  confirmed?: ProbeOutcome;
}

/**
 * Each endpoint's refusal with its cause, in the order of the views. A probe that confirmed a
 * hypothesis about its step settles the cause (the API accepted the request so changed).
 */
export function refusedEndpoints(input: DiagnoseInput): RefusedEndpoint[] {
  // every rule asks (and the probe planner): read once per input
  const known = READ.get(input);
  if (known) return known;
  const read = readRefusals(input);
  READ.set(input, read);
  return read;
}

const READ = new WeakMap<DiagnoseInput, RefusedEndpoint[]>();

function readRefusals(input: DiagnoseInput): RefusedEndpoint[] {
  return endpointViews(input).flatMap((v) => {
    const refusal = refusalOf(v);
    if (!refusal) return [];
    const sent = sentRequest(v, refusal);
    const window = failureWindow(v, (g) => g.status === refusal.status);
    const logLine = evidenceLogLines(input, window).find((line) => saysAny(line, PHRASES.csrf));
    const read = refusalCause(refusal, sent, logLine);
    const probes =
      v.stage.name === 'smoke' && v.stepPath
        ? (input.result?.probes ?? []).filter((p) => p.stepPath === v.stepPath)
        : [];
    const confirmed = probes.find((p) => p.confirmed);
    const cause = confirmed ? confirmedCause(confirmed.hypothesis, read) : read;
    return [{ v, refusal, sent, cause, probes, ...(confirmed ? { confirmed } : {}) }];
  });
}

/** The cause a confirmed probe establishes (what was read stays when it agrees). */
function confirmedCause(hypothesis: ProbeHypothesis, read: RefusalCause): RefusalCause {
  switch (hypothesis.kind) {
    case 'body':
      return {
        kind: 'media-type',
        unread: read.kind === 'media-type' ? read.unread : [],
        want: hypothesis.body,
      };
    case 'scheme':
    case 'login-token':
      return { kind: 'token' };
    case 'field':
      return read.kind === 'fields-missing'
        ? read
        : {
            kind: 'fields-missing',
            missing: [{ name: hypothesis.to, location: 'body', message: '', missing: true }],
          };
  }
}

/** The Authorization header as sent: its scheme, and whether the token is a variable or fixed. */
export function tokenSent(sent: SentRequest): TokenSentFacts {
  const value = sent.authorization?.trim();
  if (!value) return { sent: false, fixed: false, template: sent.template };
  const [first, ...rest] = value.split(/\s+/);
  const scheme = rest.length > 0 ? first : undefined;
  const variable = /\$\{([^}]+)\}/.exec(value)?.[1];
  return {
    sent: true,
    ...(scheme ? { scheme } : {}),
    ...(variable ? { variable } : {}),
    // a step's header without a variable is a token written into loadgate.yml
    fixed: sent.template && variable === undefined,
    template: sent.template,
  };
}

/** The schemes the API says it reads: its `WWW-Authenticate`, else its body's words. */
export function schemesSaid(refusal: Refusal): string[] {
  const { challenges, namedSchemes } = refusal.says;
  return challenges.length > 0 ? challenges : namedSchemes;
}

/** Roles a field name plays, to pair the API's field with the one of ours it replaces. */
const ROLES = [/user|login|e-?mail|name|account|ident/i, /pass|pwd|secret|pin/i, /token|code/i];

/** Which of our unasked-for fields the API's field probably replaces: the one of the same role. */
export function likelyReplaced(wanted: string, extra: string[]): string | undefined {
  const role = ROLES.find((r) => r.test(wanted));
  const same = role ? extra.filter((f) => role.test(f)) : [];
  if (same.length === 1) return same[0];
  return extra.length === 1 ? extra[0] : undefined;
}

/** The probes of a refused step as evidence: what was tried and what it got. */
export function probeEvidence(probes: ProbeOutcome[]): Words[] {
  return probes.map((p) =>
    w('common.probe', { hypothesis: p.hypothesis, status: p.status, confirmed: p.confirmed }),
  );
}

/** How sure a finding is: a confirmed probe above anything read. */
export const CONFIRMED = 0.97;

/**
 * Whether the check against the API's OpenAPI document already names this step's problem (its
 * finding says it, found before any request): one finding, not two.
 */
export function namedByOpenApi(
  input: DiagnoseInput,
  stepPath: string | undefined,
  kinds: string[],
): boolean {
  return (
    stepPath !== undefined &&
    (input.result?.openapi?.mismatches ?? []).some(
      (m) => m.stepPath === stepPath && kinds.includes(m.kind),
    )
  );
}
