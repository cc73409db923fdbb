import type { Finding } from '../model/verdict.js';
import {
  countStatus,
  endpointViews,
  excerpt,
  LOGIN_PATH,
  percent,
  type DiagnoseInput,
  type EndpointView,
} from './context.js';

/** A rule reads the evidence and returns findings (usually zero or one). Pure. */
export type Rule = (input: DiagnoseInput) => Finding[];

const portInUse: Rule = ({ stack }) => {
  if (!stack?.portInUse) return [];
  return [
    {
      id: 'stack.port-in-use',
      title: `Port ${stack.portInUse} was already in use before the stack started`,
      confidence: 0.95,
      priority: 'high',
      evidence: [
        stack.error ??
          `port ${stack.portInUse} accepted a connection before \`${stack.command}\` ran`,
      ],
      actions: [
        {
          text: `Stop what listens on port ${stack.portInUse} (a server left by an earlier step: \`ss -ltnp 'sport = :${stack.portInUse}'\`), or remove \`stack:\` to test the API that is already up`,
          priority: 'high',
          effort: '10 min',
        },
      ],
    },
  ];
};

const stackNotReady: Rule = ({ stack }) => {
  if (!stack || stack.ready || !stack.error || stack.portInUse) return [];
  const crashed = Boolean(stack.exit);
  return [
    {
      id: 'stack.not-ready',
      title: crashed ? 'The stack exited before it became ready' : 'The stack never became ready',
      confidence: 0.95,
      priority: 'high',
      evidence: [stack.error, ...stack.logTail.slice(-5).map((line) => `log: ${line}`)],
      actions: [
        {
          text: crashed
            ? `Run \`${stack.command}\` locally and fix the error at the end of its log`
            : 'Check that `stack.ready` points at the address the stack really listens on, or raise `stack.ready-timeout`',
          priority: 'high',
          effort: '15 min',
        },
      ],
    },
  ];
};

const stackCrashed: Rule = ({ stack, result }) => {
  if (!stack?.ready || !stack.exit) return [];
  const stage = result?.stages.find((s) => s.status === 'aborted');
  return [
    {
      id: 'stack.crashed',
      title: 'The stack died during the load test',
      confidence: 0.95,
      priority: 'high',
      evidence: [
        `the start command exited (${stack.exit.signal ? `signal ${stack.exit.signal}` : `exit code ${stack.exit.code}`}) ${Math.round(stack.exit.atMs / 1000)} s after start${stage ? `, during the ${stage.name} stage, with ${stage.timeline[stage.timeline.length - 1]?.users ?? stage.peakUsers} users` : ''}`,
        ...stack.logTail.slice(-5).map((line) => `log: ${line}`),
      ],
      actions: [
        {
          text: 'Read the end of the stack log and fix the crash (out of memory, unhandled error)',
          priority: 'high',
          effort: '1 h',
        },
      ],
    },
  ];
};

/** Every failure is "no HTTP response" (status 0): nothing answered. The seed's 0-byte signature. */
const unreachable: Rule = (input) =>
  endpointViews(input)
    .filter(
      (v) =>
        v.stats.failures === v.stats.requests &&
        countStatus(v.stats, (s) => s === 0) === v.stats.requests,
    )
    .slice(0, 1)
    .map((v) => ({
      id: 'stack.unreachable',
      title: `No HTTP response from ${v.stats.name}: nothing answered on the target`,
      confidence: 0.9,
      priority: 'high',
      evidence: [
        `${v.stats.requests} of ${v.stats.requests} requests got no HTTP response (0 bytes received) in the ${v.stage.name} stage`,
        ...v.stats.errors.slice(0, 3).map((e) => `${e.message} × ${e.count}`),
        `target: ${input.config.target}`,
      ],
      actions: [
        {
          text: `Check that the API listens on ${input.config.target} (target) and that the stack started`,
          priority: 'high',
          effort: '10 min',
        },
      ],
    }));

function firstResponseBody(
  view: EndpointView,
  statuses: (status: number) => boolean,
): string | undefined {
  return view.stats.errors.find((e) => e.status !== undefined && statuses(e.status))?.sample
    .response?.body;
}

/** A login answered 422/415/400 about missing fields while we sent JSON: it wants a form. */
const requestFormat: Rule = (input) =>
  endpointViews(input)
    .filter((v) => {
      const rejected = countStatus(v.stats, (s) => s === 422 || s === 415 || s === 400);
      if (rejected === 0 || v.step?.request.body?.kind !== 'json') return false;
      const body = firstResponseBody(v, (s) => s === 422 || s === 415 || s === 400) ?? '';
      return LOGIN_PATH.test(v.step.request.url) || /missing|required|form/i.test(body);
    })
    .slice(0, 1)
    .map((v) => {
      const status = v.stats.errors.find(
        (e) => e.status === 422 || e.status === 415 || e.status === 400,
      )?.status;
      const body = firstResponseBody(v, (s) => s === 422 || s === 415 || s === 400);
      const fields = Object.keys(
        (v.step?.request.body?.kind === 'json' ? v.step.request.body.value : {}) ?? {},
      );
      const oauth = LOGIN_PATH.test(v.step?.request.url ?? '');
      return {
        id: 'auth.request-format',
        title: `${v.stats.name} rejects the request body: it expects form data, not JSON`,
        confidence: /missing|required|form/i.test(body ?? '') ? 0.9 : 0.7,
        priority: 'high',
        evidence: [
          `${countStatus(v.stats, (s) => s === status)} of ${v.stats.requests} requests answered ${status} in the ${v.stage.name} stage`,
          `the request was sent as JSON (${v.stepPath}.request.json)`,
          `response body: ${excerpt(body)}`,
          ...(oauth
            ? [
                'OAuth2 password login (OAuth2PasswordRequestForm and most token endpoints) reads application/x-www-form-urlencoded fields',
              ]
            : []),
        ],
        actions: [
          {
            text: `In loadgate.yml, under \`${v.stepPath}.request\`, replace \`json:\` with \`form:\`${fields.length ? ` (fields: ${fields.join(', ')})` : ''} so the body is sent as application/x-www-form-urlencoded`,
            priority: 'high',
            effort: '5 min',
          },
        ],
      };
    });

const invalidCredentials: Rule = (input) =>
  endpointViews(input)
    .filter(
      (v) =>
        LOGIN_PATH.test(v.step?.request.url ?? v.stats.name) &&
        countStatus(v.stats, (s) => s === 401 || s === 403) > 0,
    )
    .slice(0, 1)
    .map((v) => ({
      id: 'auth.invalid-credentials',
      title: `${v.stats.name} refuses the credentials`,
      confidence: 0.8,
      priority: 'high',
      evidence: [
        `${countStatus(v.stats, (s) => s === 401 || s === 403)} of ${v.stats.requests} login requests answered 401/403`,
        `response body: ${excerpt(firstResponseBody(v, (s) => s === 401 || s === 403))}`,
      ],
      actions: [
        {
          text: 'Check the test account exists in the stack under test and that the secrets passed in `env:` hold its username and password',
          priority: 'high',
          effort: '15 min',
        },
      ],
    }));

const statusRule =
  (
    id: string,
    statuses: (s: number) => boolean,
    title: (v: EndpointView) => string,
    action: (v: EndpointView, input: DiagnoseInput) => string,
  ): Rule =>
  (input) =>
    endpointViews(input)
      .filter((v) => countStatus(v.stats, statuses) > 0)
      .slice(0, 3)
      .map((v) => {
        const count = countStatus(v.stats, statuses);
        return {
          id,
          title: title(v),
          confidence: count === v.stats.requests ? 0.85 : 0.6,
          priority: count === v.stats.requests ? 'high' : 'medium',
          evidence: [
            `${count} of ${v.stats.requests} requests (${percent(count, v.stats.requests)}) in the ${v.stage.name} stage`,
            `response body: ${excerpt(firstResponseBody(v, statuses))}`,
          ],
          actions: [
            {
              text: action(v, input),
              priority: count === v.stats.requests ? 'high' : 'medium',
              effort: '15 min',
            },
          ],
        };
      });

const notFound = statusRule(
  'http.not-found',
  (s) => s === 404,
  (v) => `${v.stats.name} answers 404 Not Found`,
  (v, input) =>
    `Check the path of \`${v.stepPath ?? v.stats.name}\` and the base URL (target: ${input.config.target})`,
);
const methodNotAllowed = statusRule(
  'http.method-not-allowed',
  (s) => s === 405,
  (v) => `${v.stats.name} answers 405 Method Not Allowed`,
  (v) =>
    `Use the method the API declares for this path in \`${v.stepPath ?? v.stats.name}.request.method\``,
);
const serverErrors = statusRule(
  'server.errors',
  (s) => s >= 500,
  (v) => `${v.stats.name} fails with server errors (5xx)`,
  () => 'Read the stack log around the first 5xx and fix the error it shows',
);

const latencyThreshold: Rule = ({ gate }) =>
  (gate?.thresholds ?? [])
    .filter((t) => t.metric === 'p95' && t.status === 'fail' && t.actual !== null && !t.note)
    .map((t) => ({
      id: 'latency.threshold',
      title: `p95 latency${t.scope === 'global' ? '' : ` of ${t.scope}`} is over its limit`,
      confidence: 0.7,
      priority: 'medium',
      evidence: [`p95 ${t.actual} ms, limit ${t.limit}`],
      actions: [
        {
          text: 'Profile the slowest endpoint under load (database queries, N+1, missing index, blocking calls)',
          priority: 'medium',
          effort: '4 h',
        },
      ],
    }));

/** In rank order of how directly each explains a failure; ties are broken by confidence. */
export const RULES: Rule[] = [
  portInUse,
  stackNotReady,
  stackCrashed,
  unreachable,
  requestFormat,
  invalidCredentials,
  notFound,
  methodNotAllowed,
  serverErrors,
  latencyThreshold,
];
