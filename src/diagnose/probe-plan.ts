import type { Config, Step } from '../config/schema.js';
import type { ProbeHypothesis } from '../model/run-result.js';
import type { DiagnoseInput } from './context.js';
import {
  likelyReplaced,
  OTHER,
  refusedEndpoints,
  schemesSaid,
  tokenSent,
  type Refusal,
  type RefusalCause,
  type SentRequest,
} from './refusal.js';

/**
 * Probes: the hypotheses that one request can settle, planned from the smoke stage's refusals
 * (pure; `pipeline/run-probes.ts` sends them while the stack still runs). A refused step is
 * re-sent once, changed as the hypothesis says: its body as the other media type, its token
 * with the scheme the API names (or a usual one when it names none), the login's token instead
 * of a fixed one, a field under the name the API asks for. Never a step that was not refused
 * with a 4xx, never a password guessed, at most `MAX_PROBES` requests a run.
 */
export interface ProbePlan {
  stepPath: string;
  endpoint: string;
  hypothesis: ProbeHypothesis;
  /** The changed step's name (`probeName`): its figures in the probe's stage. */
  step: string;
  /** The scenario of the probe: the steps before the refused one, then the changed one. */
  scenario: Config['scenario'];
}

export const MAX_PROBES = 3;

/** The schemes tried when the API refuses a token without naming the one it reads. */
const USUAL_SCHEMES = ['Bearer', 'Token'];

/** The name of a step changed for a probe: its figures are told from the original's. */
export const probeName = (step: Step) => `${step.name} (probe)`;

export function planProbes(input: DiagnoseInput): ProbePlan[] {
  const scenario = input.config?.scenario;
  if (!scenario) return [];
  const variables = scenario.setup.flatMap((s) => s.capture.map((c) => c.variable));
  const plans: ProbePlan[] = [];
  const seen = new Set<string>();
  for (const { v, refusal, sent, cause } of refusedEndpoints(input)) {
    if (v.stage.name !== 'smoke' || !v.step || !v.stepPath || seen.has(v.stepPath)) continue;
    seen.add(v.stepPath);
    for (const hypothesis of hypothesesOf(cause, refusal, sent, variables)) {
      const changed = changedStep(v.step, hypothesis);
      const probe = changed && probeScenario(scenario, v.stepPath, changed);
      if (changed && probe) {
        plans.push({
          stepPath: v.stepPath,
          endpoint: v.stats.name,
          hypothesis,
          step: changed.name,
          scenario: probe,
        });
      }
    }
  }
  return plans.slice(0, MAX_PROBES);
}

/** What one request could confirm of a refusal's cause. */
function hypothesesOf(
  cause: RefusalCause,
  refusal: Refusal,
  sent: SentRequest,
  variables: string[],
): ProbeHypothesis[] {
  const other = sent.body === 'json' || sent.body === 'form' ? OTHER[sent.body] : undefined;
  switch (cause.kind) {
    case 'media-type': {
      const body = cause.want ?? other;
      return body ? [{ kind: 'body', body }] : [];
    }
    case 'unexplained':
      // a body refused with nothing said: the other media type is the one guess a request tells
      return other && [400, 415, 422].includes(refusal.status)
        ? [{ kind: 'body', body: other }]
        : [];
    case 'fields-missing': {
      const [field, ...more] = cause.missing;
      if (!field || more.length > 0 || (field.location && field.location !== 'body')) return [];
      const from = likelyReplaced(
        field.name,
        sent.fields.filter((f) => f.toLowerCase() !== field.name.toLowerCase()),
      );
      return from ? [{ kind: 'field', from, to: field.name }] : [];
    }
    case 'token': {
      const token = tokenSent(sent);
      const named = schemesSaid(refusal)[0];
      const variable = token.variable ?? (variables.length === 1 ? variables[0] : undefined);
      if (!token.sent || token.fixed) {
        return variable
          ? [{ kind: 'login-token', scheme: named ?? token.scheme ?? 'Bearer', variable }]
          : [];
      }
      const sentScheme = token.scheme?.toLowerCase();
      if (named)
        return named.toLowerCase() === sentScheme ? [] : [{ kind: 'scheme', scheme: named }];
      // expired or badly signed: another scheme would not change that
      if (refusal.says.meanings.some((m) => m === 'token-expired' || m === 'token-invalid'))
        return [];
      return USUAL_SCHEMES.filter((s) => s.toLowerCase() !== sentScheme).map((scheme) => ({
        kind: 'scheme',
        scheme,
      }));
    }
    default:
      return []; // credentials are not guessed; a CSRF token's source is the framework's own
  }
}

/** The step changed as the hypothesis says, under its probe name; none when it cannot be. */
export function changedStep(step: Step, hypothesis: ProbeHypothesis): Step | undefined {
  const { request } = step;
  const body = request.body;
  const named = { ...step, name: probeName(step) };
  switch (hypothesis.kind) {
    case 'body': {
      if (hypothesis.body === 'form' && body?.kind === 'json') {
        const value = body.value;
        if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
        const entries = Object.entries(value as Record<string, unknown>);
        if (entries.some(([, v]) => v !== null && typeof v === 'object')) return undefined;
        const fields = Object.fromEntries(entries.map(([k, v]) => [k, String(v ?? '')]));
        return { ...named, request: { ...request, body: { kind: 'form', fields } } };
      }
      if (hypothesis.body === 'json' && body?.kind === 'form') {
        return { ...named, request: { ...request, body: { kind: 'json', value: body.fields } } };
      }
      return undefined;
    }
    case 'scheme':
    case 'login-token': {
      const headers = Object.fromEntries(
        Object.entries(request.headers).filter(([k]) => k.toLowerCase() !== 'authorization'),
      );
      const current = Object.entries(request.headers).find(
        ([k]) => k.toLowerCase() === 'authorization',
      )?.[1];
      const credentials =
        hypothesis.kind === 'login-token'
          ? `\${${hypothesis.variable}}`
          : current?.trim().split(/\s+/).slice(-1)[0];
      if (!credentials) return undefined;
      return {
        ...named,
        request: {
          ...request,
          headers: { ...headers, Authorization: `${hypothesis.scheme} ${credentials}` },
        },
      };
    }
    case 'field': {
      const rename = <T>(fields: Record<string, T>) =>
        Object.fromEntries(
          Object.entries(fields).map(([k, v]) => [k === hypothesis.from ? hypothesis.to : k, v]),
        );
      if (
        body?.kind === 'json' &&
        body.value &&
        typeof body.value === 'object' &&
        !Array.isArray(body.value)
      )
        return {
          ...named,
          request: {
            ...request,
            body: { kind: 'json', value: rename(body.value as Record<string, unknown>) },
          },
        };
      if (body?.kind === 'form')
        return {
          ...named,
          request: { ...request, body: { kind: 'form', fields: rename(body.fields) } },
        };
      return undefined;
    }
  }
}

/**
 * The probe's scenario: a refused setup step is sent after the setup steps before it (a task
 * follows, as in any iteration); a refused task after the whole setup (its login, its token).
 */
function probeScenario(
  scenario: Config['scenario'],
  stepPath: string,
  changed: Step,
): Config['scenario'] | undefined {
  const match = /^scenario\.(setup|tasks)\[(\d+)\]$/.exec(stepPath);
  if (!match) return undefined;
  const at = Number(match[2]);
  const think = { minMs: 0, maxMs: 0 };
  if (match[1] === 'setup') {
    const first = scenario.tasks[0];
    return first
      ? { ...scenario, setup: [...scenario.setup.slice(0, at), changed], tasks: [first], think }
      : undefined;
  }
  return { ...scenario, tasks: [changed], think };
}
