import type {
  RefusedFacts,
  TokenAction,
  TokenProblem,
  TokenSentFacts,
} from '../../report/finding-words/auth.js';
import { quote, w, type FindingFacts, type Words } from '../../report/finding-words/words.js';
import {
  countStatus,
  endpointViews,
  excerpt,
  LOGIN_PATH,
  type DiagnoseInput,
  type EndpointView,
  type Rule,
} from '../context.js';
import type { ProbeHypothesis } from '../../model/run-result.js';
import {
  CONFIRMED,
  namedByOpenApi,
  probeEvidence,
  refusedEndpoints,
  schemesSaid,
  tokenSent,
  type Refusal,
} from '../refusal.js';

/** How many of an endpoint's requests answered one of `statuses`, in which stage. */
export function refused(v: EndpointView, statuses: number[]): RefusedFacts {
  return {
    count: countStatus(v.stats, (s) => statuses.includes(s)),
    requests: v.stats.requests,
    statuses,
    stage: v.stage.name,
  };
}

/** The login refuses the credentials: its body says so, or it refused the password with 401/403. */
export const invalidCredentials: Rule = (input) =>
  refusedEndpoints(input)
    .filter(({ cause }) => cause.kind === 'credentials')
    .slice(0, 1)
    .map(({ v, refusal }): FindingFacts => ({
      id: 'auth.invalid-credentials',
      title: w('auth.invalid-credentials.title', { endpoint: v.stats.name }),
      confidence: 0.85,
      priority: 'high',
      evidence: [
        w('auth.invalid-credentials.answered', refused(v, [refusal.status])),
        w('common.response-body', { body: excerpt(refusal.body) }),
      ],
      actions: [{ text: w('auth.invalid-credentials.action'), priority: 'high', effort: '15 min' }],
    }));

/** The variables the setup captures (`token`, `access_token`): what a task's header can send. */
function capturedVariables(input: DiagnoseInput): string[] {
  return (input.config?.scenario.setup ?? []).flatMap((s) => s.capture.map((c) => c.variable));
}

/**
 * What the API says of the token, from its `WWW-Authenticate` first (the scheme it reads), then
 * its body; none when it says nothing of a token.
 */
function tokenProblem(refusal: Refusal, token: TokenSentFacts): TokenProblem | undefined {
  const { meanings } = refusal.says;
  const challenges = schemesSaid(refusal);
  const differs =
    token.scheme !== undefined &&
    challenges.length > 0 &&
    !challenges.some((c) => c.toLowerCase() === token.scheme?.toLowerCase());
  if (token.sent && (differs || meanings.includes('token-scheme'))) return 'scheme';
  if (!token.sent) return 'missing';
  if (meanings.includes('token-expired')) return 'expired';
  if (meanings.includes('token-invalid')) return 'invalid';
  // it says it got no token although one was sent: it did not read it where it was sent
  if (meanings.includes('token-missing')) return 'unread';
  return undefined;
}

/** What to do about the refused token, from what the API said and how the token was sent. */
function tokenAction(
  v: EndpointView,
  problem: TokenProblem | undefined,
  token: TokenSentFacts,
  refusal: Refusal,
  variables: string[],
  confirmed: ProbeHypothesis | undefined,
): Words {
  if (!v.stepPath) return w('auth.token-rejected.check-locustfile', { endpoint: v.stats.name });
  const facts: TokenAction = {
    stepPath: v.stepPath,
    // a scheme the API says is wrong is not the one to send again
    scheme: schemesSaid(refusal)[0] ?? (problem === 'scheme' ? undefined : token.scheme),
    schemeSaid:
      refusal.says.challenges.length > 0
        ? 'header'
        : refusal.says.namedSchemes.length > 0
          ? 'body'
          : undefined,
    variable: token.variable ?? (variables.length === 1 ? variables[0] : undefined),
  };
  // what a probe confirmed is the fix, whatever was read
  if (confirmed?.kind === 'scheme') {
    // the scheme the API named and a probe confirmed is still the one it named
    const named = facts.scheme === confirmed.scheme ? facts.schemeSaid : undefined;
    return w('auth.token-rejected.send-scheme', {
      ...facts,
      scheme: confirmed.scheme,
      schemeSaid: named ?? 'probe',
      sentScheme: token.scheme,
    });
  }
  if (confirmed?.kind === 'login-token') {
    const login = { ...facts, scheme: confirmed.scheme, variable: confirmed.variable };
    return token.sent
      ? w('auth.token-rejected.use-login-token', { ...login, problem: 'invalid' })
      : w('auth.token-rejected.send-header', { ...login, schemeSaid: 'probe' });
  }
  if (problem === 'missing') return w('auth.token-rejected.send-header', facts);
  if (problem === 'scheme')
    return w('auth.token-rejected.send-scheme', { ...facts, sentScheme: token.scheme });
  // a token written into loadgate.yml and refused: the login's is the one to send
  if (token.fixed && problem !== 'unread')
    return w('auth.token-rejected.use-login-token', {
      ...facts,
      problem: problem === 'expired' ? 'expired' : 'invalid',
    });
  if (problem === 'expired') return w('auth.token-rejected.longer-lifetime');
  if (problem === 'invalid') return w('auth.token-rejected.signing-key', facts);
  if (problem === 'unread') return w('auth.token-rejected.unread', facts);
  return w('auth.token-rejected.refused', { ...facts, status: refusal.status });
}

/** Calls that carry (or should carry) the login's token are refused: how the token is sent. */
export const tokenRejected: Rule = (input) => {
  const views = endpointViews(input);
  // the login: a setup step, or (a locustfile has no steps) a request to a login path
  const isLogin = (v: EndpointView) => v.setup || (!v.step && LOGIN_PATH.test(v.stats.name));
  const loginWorked = views.some(
    (v) => isLogin(v) && countStatus(v.stats, (s) => s >= 200 && s < 300) > 0,
  );
  const variables = capturedVariables(input);
  const refusals = refusedEndpoints(input);
  // the login itself refused: the calls after it had no token to send (a locustfile goes on)
  if (refusals.some(({ cause }) => cause.kind === 'credentials')) return [];
  return (
    refusals
      .filter(({ cause }) => cause.kind === 'token')
      // the API's own document already says this step sends no credentials: one finding
      .filter(({ v }) => !namedByOpenApi(input, v.stepPath, ['security-missing']))
      .slice(0, 1)
      .map(({ v, refusal, sent, probes, confirmed }): FindingFacts => {
        const token = tokenSent(sent);
        const problem = tokenProblem(refusal, token);
        const count = countStatus(v.stats, (s) => s === refusal.status);
        const sure = count === v.stats.requests;
        return {
          id: 'auth.token-rejected',
          title: w('auth.token-rejected.title', { endpoint: v.stats.name, loginWorked }),
          confidence: confirmed ? CONFIRMED : (sure ? 0.85 : 0.6) + (problem ? 0.05 : 0),
          priority: sure ? 'high' : 'medium',
          evidence: [
            w('auth.token-rejected.answered', { ...refused(v, [refusal.status]), loginWorked }),
            w('auth.token-rejected.authorization', token),
            w('common.response-body', { body: excerpt(refusal.body) }),
            ...refusal.says.challenges
              .slice(0, 1)
              .map(() =>
                quote(
                  `WWW-Authenticate: ${Object.entries(refusal.headers).find(([k]) => k.toLowerCase() === 'www-authenticate')?.[1] ?? ''}`,
                ),
              ),
            ...(problem
              ? [w('auth.token-rejected.api-says', { problem, scheme: schemesSaid(refusal)[0] })]
              : []),
            ...probeEvidence(probes),
          ],
          actions: [
            {
              text: tokenAction(v, problem, token, refusal, variables, confirmed?.hypothesis),
              priority: 'high',
              effort: '10 min',
            },
          ],
        };
      })
  );
};
