import type { ContainerCrash, ServiceEvidence, StackEvidence } from '../../model/stack-evidence.js';
import type {
  ContainerCrashFacts,
  CrashMoment,
  ExceptionSite,
} from '../../report/finding-words/stack.js';
import { quote, w, type FindingFacts, type Words } from '../../report/finding-words/words.js';
import { countStatus, endpointViews, type DiagnoseInput, type Rule } from '../context.js';

/** The target's port was taken before the stack started: a stale server would be load-tested. */
export const portInUse: Rule = (input) => {
  const { stack } = input;
  if (!stack?.portInUse) return [];
  const port = stack.portInUse;
  return [
    {
      id: 'stack.port-in-use',
      title: w('stack.port-in-use.title', { port }),
      confidence: 0.95,
      priority: 'high',
      // the stack runner's own sentence, quoted as it wrote it
      evidence: [stack.error ? stackError(stack) : w('stack.port-in-use.port', { port })],
      actions: [
        {
          text: w('stack.port-in-use.action', { port }),
          priority: 'high',
          effort: '10 min',
        },
      ],
    },
  ];
};

const PORT_TAKEN =
  /address already in use|EADDRINUSE|could not bind|bind\(\) to .* failed|port is already allocated/i;

/** Services that had stopped when readiness gave up, with their last log lines. */
function stoppedServices(stack: StackEvidence): ServiceEvidence[] {
  return (stack.services ?? []).filter(
    (s) => s.state !== 'running' || s.health === 'unhealthy' || (s.restarts ?? 0) > 0,
  );
}

/** The stack never became ready: Docker unusable, the start command exited, or a timeout. */
export const stackNotReady: Rule = (input) => {
  const { stack } = input;
  if (!stack || stack.ready || !stack.error || stack.portInUse) return [];
  if (!stack.started && stack.compose?.problemFact) {
    return [
      {
        id: 'stack.docker-unavailable',
        title: w('stack.docker-unavailable.title'),
        confidence: 0.97,
        priority: 'high',
        evidence: [stackError(stack)],
        actions: [
          {
            text: w('stack.docker-unavailable.action', stack.compose.problemFact),
            priority: 'high',
            effort: '15 min',
          },
        ],
      },
    ];
  }
  const crashed = Boolean(stack.exit);
  const stopped = stoppedServices(stack);
  const serviceLines = stopped.flatMap((s) => [
    w('stack.not-ready.service', {
      service: s.service,
      state: s.state,
      exitCode: s.exitCode,
      health: s.health,
      restarts: s.restarts,
    }),
    ...s.logTail.slice(-3).map((line) => quote(`${s.service} | ${line}`)),
  ]);
  const portLine = [...stack.logTail, ...stopped.flatMap((s) => s.logTail)].find((l) =>
    PORT_TAKEN.test(l),
  );
  const portService = stopped.find((s) => s.logTail.some((l) => PORT_TAKEN.test(l)));
  return [
    {
      id: 'stack.not-ready',
      title: crashed
        ? w('stack.not-ready.exited')
        : portService
          ? w('stack.not-ready.port-unbound', { service: portService.service })
          : w('stack.not-ready.title'),
      confidence: 0.95,
      priority: 'high',
      evidence: [
        stackError(stack),
        ...serviceLines.slice(0, 8),
        ...stack.logTail.slice(-5).map((line) => w('common.log-line', { line })),
      ],
      actions: [
        {
          text: portLine
            ? w('stack.not-ready.port-taken', { line: portLine.replace(/\s+/g, ' ').trim() })
            : crashed
              ? w('stack.not-ready.run-locally', { command: stack.command })
              : stopped[0]
                ? w('stack.not-ready.fix-service', { service: stopped[0].service })
                : w('stack.not-ready.check-ready'),
          priority: 'high',
          effort: '15 min',
        },
      ],
    },
  ];
};

/** The aborted stage and its users at the end, for "during the ramp, with 40 users". */
function stageAtCrash(input: DiagnoseInput): CrashMoment['stage'] {
  const stage = input.result?.stages.find((s) => s.status === 'aborted');
  if (!stage) return undefined;
  return {
    name: stage.name,
    users: stage.timeline[stage.timeline.length - 1]?.users ?? stage.peakUsers,
  };
}

/** The stack (its start command, or a compose container) died during the load. */
export const stackCrashed: Rule = (input) => {
  const { stack } = input;
  if (!stack?.ready) return [];
  if (stack.containerCrash) return [containerCrashed(input, stack, stack.containerCrash)];
  if (!stack.exit) return [];
  return [
    {
      id: 'stack.crashed',
      title: w('stack.crashed.title'),
      confidence: 0.95,
      priority: 'high',
      evidence: [
        w('stack.crashed.exit', {
          code: stack.exit.code,
          signal: stack.exit.signal,
          seconds: Math.round(stack.exit.atMs / 1000),
          stage: stageAtCrash(input),
        }),
        ...stack.logTail.slice(-5).map((line) => w('common.log-line', { line })),
      ],
      actions: [
        {
          text: w('stack.crashed.action'),
          priority: 'high',
          effort: '1 h',
        },
      ],
    },
  ];
};

/** A compose service's container exited, restarted or was OOM-killed during a stage. */
function containerCrashed(
  input: DiagnoseInput,
  stack: StackEvidence,
  crash: ContainerCrash,
): FindingFacts {
  const service = stack.services?.find((s) => s.service === crash.service);
  const facts: ContainerCrashFacts = {
    service: crash.service,
    container: crash.container,
    kind: crash.kind,
    exitCode: crash.exitCode,
    oomKilled: crash.oomKilled,
    seconds: Math.round(crash.atMs / 1000),
    stage: stageAtCrash(input),
  };
  return {
    id: 'stack.crashed',
    title: w('stack.crashed.service', facts),
    confidence: 0.97,
    priority: 'high',
    evidence: [
      w('stack.crashed.container', facts),
      ...(service?.peakMemoryMb !== undefined
        ? [
            w('stack.crashed.peak', {
              memoryMb: service.peakMemoryMb,
              cpuPercent: service.peakCpuPercent ?? 0,
            }),
          ]
        : []),
      ...(service?.logTail ?? []).slice(-5).map((line) => quote(`${crash.service} | ${line}`)),
    ],
    actions: [
      {
        text:
          crash.kind === 'oom-killed'
            ? w('stack.crashed.out-of-memory', facts)
            : w('stack.crashed.read-log', facts),
        priority: 'high',
        effort: '1 h',
      },
    ],
  };
}

/** Every failure is "no HTTP response" (status 0): nothing answered. The seed's 0-byte signature. */
export const unreachable: Rule = (input) =>
  endpointViews(input)
    .filter(
      (v) =>
        !v.loadOnly &&
        v.stats.failures === v.stats.requests &&
        countStatus(v.stats, (s) => s === 0) === v.stats.requests,
    )
    .slice(0, 1)
    .map((v): FindingFacts => {
      const facts = { endpoint: v.stats.name, requests: v.stats.requests, stage: v.stage.name };
      const target = { target: input.config?.target };
      return {
        id: 'stack.unreachable',
        title: w('stack.unreachable.title', facts),
        confidence: 0.9,
        priority: 'high',
        evidence: [
          w('stack.unreachable.no-response', facts),
          ...v.stats.errors.slice(0, 3).map((e) => quote(`${e.message} × ${e.count}`)),
          w('stack.unreachable.target', target),
        ],
        actions: [
          { text: w('stack.unreachable.action', target), priority: 'high', effort: '10 min' },
        ],
      };
    });

/**
 * A `${env.NAME}` the config reads is empty. The config error (the report's headline) already
 * lists the keys: the finding says which variables, why they are empty (the step's `env:`, or a
 * PR from a fork), and what was not done with them, rather than repeat the error.
 */
export const emptySecret: Rule = (input) => {
  const problem = input.configError?.problem;
  if (problem?.findingId !== 'config.empty-secret') return [];
  const { reads } = problem;
  return [
    {
      id: 'config.empty-secret',
      title: w('config.empty-secret.title', { reads }),
      confidence: 1,
      priority: 'high',
      evidence: reads.slice(0, 5).map((read) => w('config.empty-secret.read', read)),
      actions: [
        {
          text: w('config.empty-secret.action', { reads }),
          priority: 'high',
          effort: '5 min',
        },
      ],
    },
  ];
};

/** The load script itself raised (Locust): its numbers describe a broken test, not the API. */
export const scriptExceptions: Rule = (input) => {
  const raised = (input.result?.stages ?? []).flatMap((stage) =>
    (stage.exceptions ?? []).map((e) => ({ ...e, stage: stage.name })),
  );
  if (raised.length === 0) return [];
  const first = raised[0] as (typeof raised)[number];
  // the innermost frame, and its source line: Locust keeps str(exception) (`'price'` for a
  // KeyError), so the line that raised says what the message alone does not
  const lines = first.traceback.split('\n');
  const frame = lines.map((l) => l.trim()).findLastIndex((l) => l.startsWith('File '));
  const code = frame >= 0 ? lines[frame + 1]?.trim() : undefined;
  const site: ExceptionSite | undefined =
    frame >= 0
      ? {
          frame: lines[frame]!.trim(),
          code: code && !code.startsWith('File ') ? code : undefined,
        }
      : undefined;
  return [
    {
      id: 'locust.exceptions',
      title: w('locust.exceptions.title'),
      confidence: 0.9,
      priority: 'high',
      evidence: [
        // the stage, then the exception as Locust counted it: data, no words of ours
        ...raised.slice(0, 3).map((e) => quote(`${e.stage}: ${e.message} × ${e.count}`)),
        ...(site ? [w('locust.exceptions.at', site)] : []),
      ],
      actions: [
        {
          text: w('locust.exceptions.action', { site }),
          priority: 'high',
          effort: '30 min',
        },
      ],
    },
  ];
};

/** Why the stack did not start or become ready: worded from its facts, else as it was written. */
function stackError(stack: StackEvidence): Words {
  return stack.errorFact ? w('stack.error', stack.errorFact) : quote(stack.error ?? '');
}
