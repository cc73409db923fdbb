import { fr, countStatus, endpointViews, say, type Rule } from '../context.js';

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

export const stackNotReady: Rule = (input) => {
  const { stack } = input;
  if (!stack || stack.ready || !stack.error || stack.portInUse) return [];
  const crashed = Boolean(stack.exit);
  return [
    {
      id: 'stack.not-ready',
      title: crashed
        ? say(
            input,
            'The stack exited before it became ready',
            'La stack s’est arrêtée avant d’être prête',
          )
        : say(input, 'The stack never became ready', 'La stack n’est jamais devenue prête'),
      confidence: 0.95,
      priority: 'high',
      evidence: [stack.error, ...stack.logTail.slice(-5).map((line) => `log: ${line}`)],
      actions: [
        {
          text: crashed
            ? say(
                input,
                `Run \`${stack.command}\` locally and fix the error at the end of its log`,
                `Lancer \`${stack.command}\` en local et corriger l’erreur en fin de journal`,
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

export const stackCrashed: Rule = (input) => {
  const { stack, result } = input;
  if (!stack?.ready || !stack.exit) return [];
  const stage = result?.stages.find((s) => s.status === 'aborted');
  const users = stage
    ? (stage.timeline[stage.timeline.length - 1]?.users ?? stage.peakUsers)
    : undefined;
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
        'A secret used by the scenario is empty or not set',
        'Un secret utilisé par le scénario est vide ou absent',
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
  const where = first.traceback
    .trim()
    .split('\n')
    .filter((line) => line.trim().startsWith('File '))
    .pop()
    ?.trim();
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
        .concat(where ? [`at ${where}`] : []),
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
