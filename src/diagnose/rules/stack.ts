import type { StageResult } from '../../model/run-result.js';
import type { ContainerCrash, ServiceEvidence, StackEvidence } from '../../model/stack-evidence.js';
import type { FindingFacts } from '../../report/finding-words/words.js';
import { fr, countStatus, endpointViews, say, type DiagnoseInput, type Rule } from '../context.js';

export const portInUse: Rule = (input) => {
  const { stack } = input;
  if (!stack?.portInUse) return [];
  const port = stack.portInUse;
  return [
    {
      id: 'stack.port-in-use',
      title: say(
        input,
        `Port ${port} was already in use before the stack started`,
        `Le port ${port} était déjà occupé avant le démarrage de la stack`,
      ),
      confidence: 0.95,
      priority: 'high',
      evidence: [stack.error ?? `port ${port}`],
      actions: [
        {
          text: say(
            input,
            `Stop what listens on port ${port} (a server left by an earlier step: \`ss -ltnp 'sport = :${port}'\`), or remove \`stack:\` to test the API that is already up`,
            `Arrêter ce qui écoute sur le port ${port} (un serveur laissé par une étape précédente : \`ss -ltnp 'sport = :${port}'\`), ou retirer \`stack:\` pour tester l'API déjà lancée`,
          ),
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

export const stackNotReady: Rule = (input) => {
  const { stack } = input;
  if (!stack || stack.ready || !stack.error || stack.portInUse) return [];
  if (!stack.started && stack.compose?.problem) {
    return [
      {
        id: 'stack.docker-unavailable',
        title: say(
          input,
          'Docker is not usable here: the compose stack could not start',
          'Docker n’est pas utilisable ici : la stack compose n’a pas pu démarrer',
        ),
        confidence: 0.97,
        priority: 'high',
        evidence: [stack.error],
        actions: [
          {
            text: say(
              input,
              `Make Docker available to the job: ${stack.compose.problem}`,
              `Rendre Docker disponible pour le job : ${stack.compose.problem}`,
            ),
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
    say(
      input,
      `service ${s.service}: ${s.state}${s.exitCode !== undefined ? ` (exit code ${s.exitCode})` : ''}${s.health ? `, ${s.health}` : ''}${s.restarts ? `, ${s.restarts} restarts` : ''}`,
      `service ${s.service} : ${s.state}${s.exitCode !== undefined ? ` (code de sortie ${s.exitCode})` : ''}${s.health ? `, ${s.health}` : ''}${s.restarts ? `, ${s.restarts} redémarrages` : ''}`,
    ),
    ...s.logTail.slice(-3).map((line) => `${s.service} | ${line}`),
  ]);
  const portLine = [...stack.logTail, ...stopped.flatMap((s) => s.logTail)].find((l) =>
    PORT_TAKEN.test(l),
  );
  const portService = stopped.find((s) => s.logTail.some((l) => PORT_TAKEN.test(l)));
  return [
    {
      id: 'stack.not-ready',
      title: crashed
        ? say(
            input,
            'The stack exited before it became ready',
            'La stack s’est arrêtée avant d’être prête',
          )
        : portService
          ? say(
              input,
              `The stack never became ready: service ${portService.service} could not bind its port`,
              `La stack n’est jamais devenue prête : le service ${portService.service} n’a pas pu ouvrir son port`,
            )
          : say(input, 'The stack never became ready', 'La stack n’est jamais devenue prête'),
      confidence: 0.95,
      priority: 'high',
      evidence: [
        stack.error,
        ...serviceLines.slice(0, 8),
        ...stack.logTail.slice(-5).map((line) => `log: ${line}`),
      ],
      actions: [
        {
          text: portLine
            ? say(
                input,
                `A port of the stack is already taken on the runner (${portLine.replace(/\s+/g, ' ').trim()}): stop what listens there (\`ss -ltnp\`) or give the service another port`,
                `Un port de la stack est déjà pris sur le runner (${portLine.replace(/\s+/g, ' ').trim()}) : arrêter ce qui y écoute (\`ss -ltnp\`) ou donner un autre port au service`,
              )
            : crashed
              ? say(
                  input,
                  `Run \`${stack.command}\` locally and fix the error at the end of its log`,
                  `Lancer \`${stack.command}\` en local et corriger l’erreur en fin de journal`,
                )
              : stopped.length > 0
                ? say(
                    input,
                    `Fix why service ${stopped[0]!.service} stopped (its log above), then rerun`,
                    `Corriger l’arrêt du service ${stopped[0]!.service} (son journal ci-dessus), puis relancer`,
                  )
                : say(
                    input,
                    'Check that `stack.ready` points at the address the stack really listens on, or raise `stack.ready-timeout`',
                    'Vérifier que `stack.ready` pointe vers l’adresse où la stack écoute vraiment, ou augmenter `stack.ready-timeout`',
                  ),
          priority: 'high',
          effort: '15 min',
        },
      ],
    },
  ];
};

/** The aborted stage and its users at the end, for "during the ramp, with 40 users". */
function stageAtCrash(input: DiagnoseInput): { stage?: StageResult; users?: number } {
  const stage = input.result?.stages.find((s) => s.status === 'aborted');
  if (!stage) return {};
  return { stage, users: stage.timeline[stage.timeline.length - 1]?.users ?? stage.peakUsers };
}

export const stackCrashed: Rule = (input) => {
  const { stack } = input;
  if (!stack?.ready) return [];
  if (stack.containerCrash) return [containerCrashed(input, stack, stack.containerCrash)];
  if (!stack.exit) return [];
  const { stage, users } = stageAtCrash(input);
  const how = stack.exit.signal ? `signal ${stack.exit.signal}` : `exit code ${stack.exit.code}`;
  return [
    {
      id: 'stack.crashed',
      title: say(
        input,
        'The stack died during the load test',
        'La stack est morte pendant le test de charge',
      ),
      confidence: 0.95,
      priority: 'high',
      evidence: [
        say(
          input,
          `the start command exited (${how}) ${Math.round(stack.exit.atMs / 1000)} s after start${stage ? `, during the ${stage.name} stage, with ${users} users` : ''}`,
          `la commande de démarrage s’est terminée (${how}) ${Math.round(stack.exit.atMs / 1000)} s après le lancement${stage ? `, pendant l’étape ${stage.name}, avec ${users} utilisateurs` : ''}`,
        ),
        ...stack.logTail.slice(-5).map((line) => `log: ${line}`),
      ],
      actions: [
        {
          text: say(
            input,
            'Read the end of the stack log and fix the crash (out of memory, unhandled error); rerun with fewer users to find the load that triggers it',
            'Lire la fin du journal de la stack et corriger le crash (mémoire, erreur non gérée) ; relancer avec moins d’utilisateurs pour trouver la charge qui le déclenche',
          ),
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
  const { stage, users } = stageAtCrash(input);
  const service = stack.services?.find((s) => s.service === crash.service);
  const what =
    crash.kind === 'oom-killed'
      ? say(input, 'was OOM-killed', 'a été tué faute de mémoire (OOM)')
      : crash.kind === 'restarted'
        ? say(input, 'exited and was restarted', 's’est arrêté et a été redémarré')
        : say(input, 'exited', 's’est arrêté');
  const code = crash.exitCode !== undefined ? ` (exit code ${crash.exitCode})` : '';
  return {
    id: 'stack.crashed',
    title: say(
      input,
      `Service ${crash.service} ${what} during the load test${code}`,
      `Le service ${crash.service} ${what} pendant le test de charge${code}`,
    ),
    confidence: 0.97,
    priority: 'high',
    evidence: [
      say(
        input,
        `container ${crash.container} ${what}${code}, OOM-killed: ${crash.oomKilled ? 'yes' : 'no'}, ${Math.round(crash.atMs / 1000)} s after the stack started${stage ? `, during the ${stage.name} stage, with ${users} users` : ''}`,
        `conteneur ${crash.container} ${what}${code}, tué par OOM : ${crash.oomKilled ? 'oui' : 'non'}, ${Math.round(crash.atMs / 1000)} s après le démarrage de la stack${stage ? `, pendant l’étape ${stage.name}, avec ${users} utilisateurs` : ''}`,
      ),
      ...(service?.peakMemoryMb !== undefined
        ? [
            say(
              input,
              `its peak memory: ${service.peakMemoryMb} MiB, peak CPU ${service.peakCpuPercent ?? 0}%`,
              `son pic mémoire : ${service.peakMemoryMb} Mio, pic CPU ${service.peakCpuPercent ?? 0} %`,
            ),
          ]
        : []),
      ...(service?.logTail ?? []).slice(-5).map((line) => `${crash.service} | ${line}`),
    ],
    actions: [
      {
        text:
          crash.kind === 'oom-killed'
            ? say(
                input,
                `Service ${crash.service} ran out of memory: raise its memory limit (\`mem_limit\` / \`deploy.resources.limits.memory\`) or find what grows under load (its peak is in the report)`,
                `Le service ${crash.service} a manqué de mémoire : relever sa limite (\`mem_limit\` / \`deploy.resources.limits.memory\`) ou trouver ce qui grossit en charge (son pic est dans le rapport)`,
              )
            : say(
                input,
                `Read the log of service ${crash.service} (\`docker compose logs ${crash.service}\`, and its log beside the report) and fix what made it exit${code}; the errors the other services returned after it are symptoms`,
                `Lire le journal du service ${crash.service} (\`docker compose logs ${crash.service}\`, et son journal à côté du rapport) et corriger ce qui l’a arrêté${code} ; les erreurs des autres services ensuite en sont les symptômes`,
              ),
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
    .map((v) => ({
      id: 'stack.unreachable',
      title: say(
        input,
        `No HTTP response from ${v.stats.name}: nothing answered on the target`,
        `Aucune réponse HTTP de ${v.stats.name} : rien ne répond sur la cible`,
      ),
      confidence: 0.9,
      priority: 'high' as const,
      evidence: [
        say(
          input,
          `${v.stats.requests} of ${v.stats.requests} requests got no HTTP response (0 bytes received) in the ${v.stage.name} stage`,
          `${v.stats.requests} ${fr(v.stats.requests, 'requête', 'requêtes')} sur ${v.stats.requests} ${fr(v.stats.requests, 'n’a', 'n’ont')} reçu aucune réponse HTTP (0 octet reçu) à l’étape ${v.stage.name}`,
        ),
        ...v.stats.errors.slice(0, 3).map((e) => `${e.message} × ${e.count}`),
        `target: ${input.config?.target ?? '?'}`,
      ],
      actions: [
        {
          text: say(
            input,
            `Check that the API listens on ${input.config?.target ?? 'the target'} and that the stack started (no response at all is not an HTTP error: nothing was listening, or the connection was refused or reset)`,
            `Vérifier que l’API écoute sur ${input.config?.target ?? 'la cible'} et que la stack a démarré (aucune réponse n’est pas une erreur HTTP : rien n’écoutait, ou la connexion a été refusée ou coupée)`,
          ),
          priority: 'high' as const,
          effort: '10 min',
        },
      ],
    }));

export const emptySecret: Rule = (input) => {
  if (input.configError?.findingId !== 'config.empty-secret') return [];
  return [
    {
      id: 'config.empty-secret',
      title: say(
        input,
        'A secret the config reads with `${env.…}` is empty or not set',
        'Un secret que la config lit avec `${env.…}` est vide ou absent',
      ),
      confidence: 1,
      priority: 'high',
      evidence: [input.configError.message],
      actions: [
        {
          text: say(
            input,
            'Pass the secret to the loadgate step with `env:` (e.g. `API_PASSWORD: ${{ secrets.API_PASSWORD }}`); on fork PRs repository secrets are not available',
            'Passer le secret à l’étape loadgate avec `env:` (par ex. `API_PASSWORD: ${{ secrets.API_PASSWORD }}`) ; les secrets du dépôt ne sont pas disponibles sur les PR de forks',
          ),
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
  const where =
    frame >= 0
      ? `${lines[frame]?.trim()}${code && !code.startsWith('File ') ? `: ${code}` : ''}`
      : undefined;
  return [
    {
      id: 'locust.exceptions',
      title: say(
        input,
        'The locustfile raised exceptions: the test is broken, not the API',
        'Le locustfile a levé des exceptions : c’est le test qui est cassé, pas l’API',
      ),
      confidence: 0.9,
      priority: 'high',
      evidence: raised
        .slice(0, 3)
        .map((e) => `${e.stage}: ${e.message} × ${e.count}`)
        .concat(where ? [say(input, `at ${where}`, `à ${where}`)] : []),
      actions: [
        {
          text: say(
            input,
            `Fix the locustfile${where ? ` (${where})` : ''}, then run it locally with \`locust --headless -u 1 -t 10s\``,
            `Corriger le locustfile${where ? ` (${where})` : ''}, puis le lancer en local avec \`locust --headless -u 1 -t 10s\``,
          ),
          priority: 'high',
          effort: '30 min',
        },
      ],
    },
  ];
};
