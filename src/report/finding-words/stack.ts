/** The sentences of the `stack` rules (src/diagnose/rules/stack.ts), in each locale. */

import type { ComposeProblemFact, StackErrorFact } from '../../model/stack-evidence.js';
import type { SecretRead } from '../../shared/errors.js';
import { composeProblemText, crashText, exitText, stackErrorText } from '../run-error-messages.js';
import { plural } from './common.js';
import { ofTotal } from '../format-values.js';

/** A compose service that had stopped, restarted or turned unhealthy when readiness gave up. */
export interface ServiceStateFacts {
  service: string;
  /** As docker says it: `exited`, `restarting`, `running`. */
  state: string;
  exitCode?: number | undefined;
  /** As docker says it: `unhealthy`, `starting`. */
  health?: string | undefined;
  restarts?: number | undefined;
}

/** When the stack died: seconds after it started, and the stage that ran then, if one did. */
export interface CrashMoment {
  seconds: number;
  /** The aborted stage, with its users at the end. */
  stage?: { name: string; users: number } | undefined;
}

/** The stack's start command exited during the load. */
export interface StackExitFacts extends CrashMoment {
  code: number | null;
  signal: string | null;
}

/** A compose service's container exited, restarted or was OOM-killed during a stage. */
export interface ContainerCrashFacts extends CrashMoment {
  service: string;
  container: string;
  kind: 'exited' | 'restarted' | 'oom-killed';
  exitCode?: number | undefined;
  oomKilled: boolean;
}

/** The busiest a crashed service was before it died. */
export interface ServicePeakFacts {
  memoryMb: number;
  cpuPercent: number;
}

/** Every request of an endpoint got no HTTP response. */
export interface UnreachableFacts {
  endpoint: string;
  requests: number;
  stage: string;
}

/** What `config.empty-secret` is said from: the keys that read an empty variable. */
export interface EmptySecretFacts {
  /** None when the config error could not be read: the finding then speaks of a secret. */
  reads: SecretRead[];
}

/** Where the locustfile raised: the traceback's innermost frame and its source line. */
export interface ExceptionSite {
  /** `File "locustfile.py", line 7, in hit` */
  frame: string;
  /** `print(body["price"])` */
  code?: string | undefined;
}

const code = (text: string) => `\`${text}\``;
const variables = (a: EmptySecretFacts) => [...new Set(a.reads.map((r) => r.variable))];
const variableList = (a: EmptySecretFacts) => variables(a).map(code).join(', ');
const secretExample = (a: EmptySecretFacts) => {
  const name = variables(a)[0] ?? 'API_PASSWORD';
  return code(`${name}: \${{ secrets.${name} }}`);
};
const readsStackEnv = (a: SecretRead) => a.key.startsWith('stack.env.');
/** The frame and its source line, as the traceback writes them. */
const site = (a: ExceptionSite) => `${a.frame}${a.code ? `: ${a.code}` : ''}`;

/** ", during the ramp stage, with 40 users" */
const during = {
  en: ({ stage }: CrashMoment) =>
    stage
      ? `, during the ${stage.name} stage, with ${stage.users} user${stage.users === 1 ? '' : 's'}`
      : '',
  fr: ({ stage }: CrashMoment) =>
    stage
      ? `, pendant l’étape ${stage.name}, avec ${stage.users} ${plural(stage.users, 'utilisateur', 'utilisateurs')}`
      : '',
};

/** What happened to a crashed container. */
const crashKind = {
  en: (a: ContainerCrashFacts) => crashText(a.kind, false),
  fr: (a: ContainerCrashFacts) => crashText(a.kind, true),
};

/** " (exit code 3)" when the container's is known. */
const exitCode = {
  en: (a: { exitCode?: number | undefined }) =>
    a.exitCode !== undefined ? ` (${exitText(a.exitCode, null, false)})` : '',
  fr: (a: { exitCode?: number | undefined }) =>
    a.exitCode !== undefined ? ` (${exitText(a.exitCode, null, true)})` : '',
};

const en = {
  /** Why the stack did not start or become ready, from the stack runner's facts. */
  'stack.error': (a: StackErrorFact) => stackErrorText(a, 'en'),
  'stack.port-in-use.title': (a: { port: number }) =>
    `Port ${a.port} was already in use before the stack started`,
  'stack.port-in-use.port': (a: { port: number }) => `port ${a.port}`,
  'stack.port-in-use.action': (a: { port: number }) =>
    `Stop what listens on port ${a.port} (a server left by an earlier step: \`ss -ltnp 'sport = :${a.port}'\`), or remove \`stack:\` to test the API that is already up`,
  'stack.docker-unavailable.title': () =>
    'Docker is not usable here: the compose stack could not start',
  'stack.docker-unavailable.action': (a: ComposeProblemFact) =>
    `Make Docker available to the job: ${composeProblemText(a, 'en')}`,
  'stack.not-ready.exited': () => 'The stack exited before it became ready',
  'stack.not-ready.port-unbound': (a: { service: string }) =>
    `The stack never became ready: service ${a.service} could not bind its port`,
  'stack.not-ready.title': () => 'The stack never became ready',
  'stack.not-ready.service': (a: ServiceStateFacts) =>
    `service ${a.service}: ${a.state}${exitCode.en(a)}${a.health ? `, ${a.health}` : ''}${a.restarts ? `, ${a.restarts} restart${a.restarts > 1 ? 's' : ''}` : ''}`,
  'stack.not-ready.port-taken': (a: { line: string }) =>
    `A port of the stack is already taken on the runner (${a.line}): stop what listens there (\`ss -ltnp\`) or give the service another port`,
  'stack.not-ready.run-locally': (a: { command: string }) =>
    `Run ${code(a.command)} locally and fix the error at the end of its log`,
  'stack.not-ready.fix-service': (a: { service: string }) =>
    `Fix why service ${a.service} stopped (its log above), then rerun`,
  'stack.not-ready.check-ready': () =>
    'Check that `stack.ready` points at the address the stack really listens on, or raise `stack.ready-timeout`',
  'stack.crashed.title': () => 'The stack died during the load test',
  'stack.crashed.exit': (a: StackExitFacts) =>
    `the start command exited (${a.signal ? `signal ${a.signal}` : `exit code ${a.code}`}) ${a.seconds} s after start${during.en(a)}`,
  'stack.crashed.action': () =>
    'Read the end of the stack log and fix the crash (out of memory, unhandled error); rerun with fewer users to find the load that triggers it',
  'stack.crashed.service': (a: ContainerCrashFacts) =>
    `Service ${a.service} ${crashKind.en(a)} during the load test${exitCode.en(a)}`,
  'stack.crashed.container': (a: ContainerCrashFacts) =>
    `container ${a.container} ${crashKind.en(a)}${exitCode.en(a)}, OOM-killed: ${a.oomKilled ? 'yes' : 'no'}, ${a.seconds} s after the stack started${during.en(a)}`,
  'stack.crashed.peak': (a: ServicePeakFacts) =>
    `its peak memory: ${a.memoryMb} MiB, peak CPU ${a.cpuPercent}%`,
  'stack.crashed.out-of-memory': (a: ContainerCrashFacts) =>
    `Service ${a.service} ran out of memory: raise its memory limit (\`mem_limit\` / \`deploy.resources.limits.memory\`) or find what grows under load (its peak is in the report)`,
  'stack.crashed.read-log': (a: ContainerCrashFacts) =>
    `Read the log of service ${a.service} (\`docker compose logs ${a.service}\`, and its log beside the report) and fix what made it exit${exitCode.en(a)}; the errors the other services returned after it are symptoms`,
  'stack.unreachable.title': (a: UnreachableFacts) =>
    `No HTTP response from ${a.endpoint}: nothing answered on the target`,
  'stack.unreachable.no-response': (a: UnreachableFacts) =>
    `${ofTotal(a.requests, a.requests)} got no HTTP response (0 bytes received) in the ${a.stage} stage`,
  'stack.unreachable.target': (a: { target?: string | undefined }) => `target: ${a.target ?? '?'}`,
  'stack.unreachable.action': (a: { target?: string | undefined }) =>
    `Check that the API listens on ${a.target ?? 'the target'} and that the stack started (no response at all is not an HTTP error: nothing was listening, or the connection was refused or reset)`,
  'config.empty-secret.title': (a: EmptySecretFacts) => {
    const many = variables(a).length > 1;
    const what = variableList(a) || 'A secret the config reads with `${env.…}`';
    return `${what} ${many ? 'have' : 'has'} no value in the loadgate step: its \`env:\` does not set ${many ? 'them' : 'it'}, or this is a PR from a fork, which gets no repository secrets`;
  },
  'config.empty-secret.read': (a: SecretRead) =>
    `${code(a.key)} reads ${code(a.variable)}: loadgate stopped before ${readsStackEnv(a) ? 'starting the stack' : 'sending requests'} with it empty`,
  'config.empty-secret.action': (a: EmptySecretFacts) =>
    `Pass ${variables(a).length ? variableList(a) : 'the secret'} to the loadgate step with \`env:\` (e.g. ${secretExample(a)})`,
  'locust.exceptions.title': () =>
    'The locustfile raised exceptions: the test is broken, not the API',
  'locust.exceptions.at': (a: ExceptionSite) => `at ${site(a)}`,
  'locust.exceptions.action': (a: { site?: ExceptionSite | undefined }) =>
    `Fix the locustfile${a.site ? ` (${site(a.site)})` : ''}, then run it locally with \`locust --headless -u 1 -t 10s\``,
};

const fr: typeof en = {
  'stack.error': (a) => stackErrorText(a, 'fr'),
  'stack.port-in-use.title': (a) =>
    `Le port ${a.port} était déjà occupé avant le démarrage de la stack`,
  'stack.port-in-use.port': (a) => `le port ${a.port}`,
  'stack.port-in-use.action': (a) =>
    `Arrêter ce qui écoute sur le port ${a.port} (un serveur laissé par une étape précédente : \`ss -ltnp 'sport = :${a.port}'\`), ou retirer \`stack:\` pour tester l’API déjà lancée`,
  'stack.docker-unavailable.title': () =>
    'Docker n’est pas utilisable ici : la stack compose n’a pas pu démarrer',
  'stack.docker-unavailable.action': (a) =>
    `Rendre Docker disponible pour le job : ${composeProblemText(a, 'fr')}`,
  'stack.not-ready.exited': () => 'La stack s’est arrêtée avant d’être prête',
  'stack.not-ready.port-unbound': (a) =>
    `La stack n’est jamais devenue prête : le service ${a.service} n’a pas pu ouvrir son port`,
  'stack.not-ready.title': () => 'La stack n’est jamais devenue prête',
  'stack.not-ready.service': (a) =>
    `service ${a.service} : ${a.state}${exitCode.fr(a)}${a.health ? `, ${a.health}` : ''}${a.restarts ? `, ${a.restarts} ${plural(a.restarts, 'redémarrage', 'redémarrages')}` : ''}`,
  'stack.not-ready.port-taken': (a) =>
    `Un port de la stack est déjà pris sur le runner (${a.line}) : arrêter ce qui y écoute (\`ss -ltnp\`) ou donner un autre port au service`,
  'stack.not-ready.run-locally': (a) =>
    `Lancer ${code(a.command)} en local et corriger l’erreur en fin de journal`,
  'stack.not-ready.fix-service': (a) =>
    `Corriger l’arrêt du service ${a.service} (son journal ci-dessus), puis relancer`,
  'stack.not-ready.check-ready': () =>
    'Vérifier que `stack.ready` pointe vers l’adresse où la stack écoute vraiment, ou augmenter `stack.ready-timeout`',
  'stack.crashed.title': () => 'La stack est morte pendant le test de charge',
  'stack.crashed.exit': (a) =>
    `la commande de démarrage s’est terminée (${a.signal ? `signal ${a.signal}` : `code de sortie ${a.code}`}) ${a.seconds} s après le lancement${during.fr(a)}`,
  'stack.crashed.action': () =>
    'Lire la fin du journal de la stack et corriger le crash (mémoire, erreur non gérée) ; relancer avec moins d’utilisateurs pour trouver la charge qui le déclenche',
  'stack.crashed.service': (a) =>
    `Le service ${a.service} ${crashKind.fr(a)} pendant le test de charge${exitCode.fr(a)}`,
  'stack.crashed.container': (a) =>
    `conteneur ${a.container} ${crashKind.fr(a)}${exitCode.fr(a)}, tué par OOM : ${a.oomKilled ? 'oui' : 'non'}, ${a.seconds} s après le démarrage de la stack${during.fr(a)}`,
  'stack.crashed.peak': (a) => `son pic mémoire : ${a.memoryMb} Mio, pic CPU ${a.cpuPercent} %`,
  'stack.crashed.out-of-memory': (a) =>
    `Le service ${a.service} a manqué de mémoire : relever sa limite (\`mem_limit\` / \`deploy.resources.limits.memory\`) ou trouver ce qui grossit en charge (son pic est dans le rapport)`,
  'stack.crashed.read-log': (a) =>
    `Lire le journal du service ${a.service} (\`docker compose logs ${a.service}\`, et son journal à côté du rapport) et corriger ce qui l’a arrêté${exitCode.fr(a)} ; les erreurs des autres services ensuite en sont les symptômes`,
  'stack.unreachable.title': (a) =>
    `Aucune réponse HTTP de ${a.endpoint} : rien ne répond sur la cible`,
  'stack.unreachable.no-response': (a) =>
    `${a.requests} ${plural(a.requests, 'requête', 'requêtes')} sur ${a.requests} ${plural(a.requests, 'n’a', 'n’ont')} reçu aucune réponse HTTP (0 octet reçu) à l’étape ${a.stage}`,
  'stack.unreachable.target': (a) => `cible (\`target\`) : ${a.target ?? '?'}`,
  'stack.unreachable.action': (a) =>
    `Vérifier que l’API écoute sur ${a.target ?? 'la cible'} et que la stack a démarré (aucune réponse n’est pas une erreur HTTP : rien n’écoutait, ou la connexion a été refusée ou coupée)`,
  'config.empty-secret.title': (a) => {
    const count = variables(a).length;
    const what = variableList(a) || 'Un secret que la config lit avec `${env.…}`';
    // la variable, les variables, le secret
    const them = count > 1 ? 'les' : count ? 'la' : 'le';
    return `${what} ${count > 1 ? 'n’ont' : 'n’a'} pas de valeur dans l’étape loadgate : son \`env:\` ne ${them} définit pas, ou c’est une PR venant d’un fork, qui ne reçoit aucun secret du dépôt`;
  },
  'config.empty-secret.read': (a) =>
    `${code(a.key)} lit ${code(a.variable)} : loadgate s’est arrêté avant ${readsStackEnv(a) ? 'de démarrer la stack' : 'd’envoyer des requêtes'} avec cette valeur vide`,
  'config.empty-secret.action': (a) =>
    `Passer ${variables(a).length ? variableList(a) : 'le secret'} à l’étape loadgate avec \`env:\` (par ex. ${secretExample(a)})`,
  'locust.exceptions.title': () =>
    'Le locustfile a levé des exceptions : c’est le test qui est cassé, pas l’API',
  'locust.exceptions.at': (a) => `à ${site(a)}`,
  'locust.exceptions.action': (a) =>
    `Corriger le locustfile${a.site ? ` (${site(a.site)})` : ''}, puis le lancer en local avec \`locust --headless -u 1 -t 10s\``,
};

export const STACK = { en, fr };
