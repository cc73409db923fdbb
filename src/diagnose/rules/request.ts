import type { FormFacts } from '../../report/finding-words/auth.js';
import type { FieldsMissingFacts } from '../../report/finding-words/request.js';
import { w, type FindingFacts } from '../../report/finding-words/words.js';
import { STATUS_CODES } from 'node:http';
import { countStatus, excerpt, LOGIN_PATH, type DiagnoseInput, type Rule } from '../context.js';
import {
  CONFIRMED,
  likelyReplaced,
  namedByOpenApi,
  probeEvidence,
  refusedEndpoints,
} from '../refusal.js';
import { refused } from './auth.js';

/**
 * The body was sent in a media type the endpoint does not read: it answered 415, names the
 * media type, or says the very fields sent are missing (it did not read them). JSON refused
 * means a form, a form refused means JSON; otherwise the finding says what was refused, not a
 * guess.
 */
export const requestFormat: Rule = (input) =>
  refusedEndpoints(input)
    .filter(({ cause, sent }) => cause.kind === 'media-type' && sent.body !== 'none')
    // the API's own document already names this step's media type: one finding, not two
    .filter(({ v }) => !namedByOpenApi(input, v.stepPath, ['media-type']))
    .slice(0, 1)
    .map(({ v, refusal, sent, cause, probes, confirmed }): FindingFacts => {
      const unread = cause.kind === 'media-type' ? cause.unread : [];
      const want = cause.kind === 'media-type' ? cause.want : undefined;
      const form: FormFacts = {
        endpoint: v.stats.name,
        stepPath: v.stepPath,
        sent: sent.body,
        want,
        fields: sent.fields,
      };
      const key = v.stepPath && `${v.stepPath}.request.${sent.body === 'raw' ? 'body' : sent.body}`;
      return {
        id: 'auth.request-format',
        title: w('auth.request-format.title', form),
        confidence: confirmed ? CONFIRMED : 0.9,
        priority: 'high',
        evidence: [
          w('auth.request-format.answered', refused(v, [refusal.status])),
          w('auth.request-format.sent-json', { key, sent: sent.body }),
          w('common.response-body', { body: excerpt(refusal.body) }),
          ...(refusal.status === 415 ? [w('auth.request-format.status-415')] : []),
          ...(unread.length > 0
            ? [w('auth.request-format.json-unread', { missing: unread, sent: sent.body })]
            : []),
          ...(want === 'form' && LOGIN_PATH.test(sent.url)
            ? [w('auth.request-format.oauth-form')]
            : []),
          ...probeEvidence(probes),
        ],
        actions: [
          { text: w('auth.request-format.action', form), priority: 'high', effort: '5 min' },
        ],
      };
    });

/**
 * The body names fields the request does not send (under that name, or in that place): name the
 * API's field, and which of ours it probably replaces. Never "switch to form": the API read the
 * body, it wants other fields.
 */
export const fieldsMissing: Rule = (input) =>
  refusedEndpoints(input)
    .filter(({ v }) => !namedByOpenApi(input, v.stepPath, ['fields-missing', 'body-missing']))
    .flatMap(({ v, refusal, sent, cause, probes, confirmed }) =>
      cause.kind === 'fields-missing'
        ? [{ v, refusal, sent: sent.fields, missing: cause.missing, probes, confirmed }]
        : [],
    )
    .slice(0, 1)
    .map(({ v, refusal, missing, sent, probes, confirmed }): FindingFacts => {
      const required = new Set(missing.map((f) => f.name));
      // our fields the API did not ask for: the likely misnamed ones
      const extra = sent.filter((f) => !required.has(f));
      const where = missing[0]?.location;
      const facts: FieldsMissingFacts = {
        endpoint: v.stats.name,
        stage: v.stage.name,
        status: refusal.status,
        count: v.stats.statusCodes[String(refusal.status)] ?? 0,
        requests: v.stats.requests,
        sent,
        missing: missing.map((f) => ({ name: f.name, location: f.location })),
        replaced:
          missing.length === 1 && (!where || where === 'body')
            ? likelyReplaced(missing[0]!.name, extra)
            : undefined,
        stepPath: v.stepPath,
      };
      return {
        id: 'request.fields-missing',
        title: w('request.fields-missing.title', facts),
        confidence: confirmed ? CONFIRMED : 0.9,
        priority: 'high',
        evidence: [
          w('request.fields-missing.answered', facts),
          w('request.fields-missing.sent', facts),
          w('common.response-body', { body: excerpt(refusal.body) }),
          ...probeEvidence(probes),
        ],
        actions: [
          { text: w('request.fields-missing.action', facts), priority: 'high', effort: '5 min' },
        ],
      };
    });

/** The API wants a CSRF token: its answer names CSRF (or is Laravel's 419). */
export const csrfRequired: Rule = (input) =>
  refusedEndpoints(input)
    .filter(({ cause }) => cause.kind === 'csrf')
    .slice(0, 1)
    .map(({ v, refusal, cause }): FindingFacts => {
      const facts = { endpoint: v.stats.name, stepPath: v.stepPath };
      const logLine = cause.kind === 'csrf' ? cause.logLine : undefined;
      const all = countStatus(v.stats, (s) => s === refusal.status) === v.stats.requests;
      return {
        id: 'request.csrf',
        title: w('request.csrf.title', facts),
        confidence: 0.9,
        priority: all ? 'high' : 'medium',
        evidence: [
          w('auth.request-format.answered', refused(v, [refusal.status])),
          w('common.response-body', { body: excerpt(refusal.body) }),
          ...(logLine ? [w('common.log-line', { line: logLine })] : []),
        ],
        actions: [{ text: w('request.csrf.action', facts), priority: 'high', effort: '30 min' }],
      };
    });

/**
 * A 4xx whose answer loadgate does not understand: the step, the endpoint and what the API
 * answered, and the honest next step (fix what it names), never a guessed recipe.
 */
export const requestRejected: Rule = (input: DiagnoseInput) =>
  refusedEndpoints(input)
    .filter(({ cause }) => cause.kind === 'unexplained')
    .slice(0, 3)
    .map(({ v, refusal, probes }): FindingFacts => {
      const all = countStatus(v.stats, (s) => s === refusal.status) === v.stats.requests;
      const facts = {
        endpoint: v.stats.name,
        stepPath: v.stepPath,
        status: refusal.status,
        reason: STATUS_CODES[refusal.status] ?? '',
        message: excerpt(refusal.says.message, 160),
      };
      return {
        id: 'request.rejected',
        title: w('request.rejected.title', facts),
        confidence: 0.5,
        priority: all ? 'high' : 'medium',
        evidence: [
          w('auth.request-format.answered', refused(v, [refusal.status])),
          w('common.response-body', { body: excerpt(refusal.body) }),
          ...probeEvidence(probes),
        ],
        actions: [
          {
            text: w('request.rejected.action', facts),
            priority: all ? 'high' : 'medium',
            effort: '15 min',
          },
        ],
      };
    });
