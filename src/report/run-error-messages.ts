import { formatDuration } from '../config/duration.js';
import type { RunErrorFact } from '../model/json-report.js';
import type { StopFact } from '../model/run-result.js';
import type {
  ComposeProblemFact,
  ReadyCheckFact,
  StackErrorFact,
} from '../model/stack-evidence.js';
import { StopError } from '../shared/errors.js';
import type { Locale } from './messages.js';

type CrashKind = Extract<StopFact, { kind: 'service-crashed' }>['crash'];

/**
 * Why the run ended early, in each locale, from facts: the stack did not start or never became
 * ready (the stack runner's facts), or the run was stopped (a signal, max-duration, the stack or
 * a container exiting). The English is what logs and the JSON report's `error` hold; the
 * report's locale is what its headline says. Pure.
 */

/** How a process ended: `exit code 3`, `killed by SIGKILL` (a container's exit code too). */
export function exitText(code: number | null, signal: string | null, fr: boolean): string {
  if (signal) return fr ? `tuée par ${signal}` : `killed by ${signal}`;
  return fr ? `code de sortie ${code}` : `exit code ${code}`;
}

function checkText(check: ReadyCheckFact, fr: boolean): string {
  switch (check.kind) {
    case 'none':
      return fr ? 'aucune tentative' : 'no attempt was made';
    case 'log-pattern':
      return fr
        ? `aucune ligne du journal ne correspond encore à /${check.pattern}/`
        : `no log line matches /${check.pattern}/ yet`;
    case 'status': {
      const expected = check.expected?.join(fr ? ' ou ' : ' or ') ?? '2xx';
      return fr
        ? `${check.url} a répondu ${check.status}, attendu ${expected}`
        : `${check.url} answered ${check.status}, expected ${expected}`;
    }
    case 'no-answer':
      return `${check.url}: ${check.error}`;
  }
}

/** Why docker cannot be used or the project's containers cannot be watched, and what to do. */
export function composeProblemText(problem: ComposeProblemFact, locale: Locale): string {
  const fr = locale === 'fr';
  switch (problem.kind) {
    case 'no-cli':
      return fr
        ? 'la CLI docker n’est pas installée ou pas dans le PATH (installer Docker, ou lancer loadgate là où il l’est)'
        : 'the docker CLI is not installed or not on PATH (install Docker, or run loadgate where it is)';
    case 'daemon-down':
      return fr
        ? `le démon Docker ne tourne pas (${problem.output}) : le démarrer (\`sudo systemctl start docker\`, ou \`dockerd &\`) avant loadgate`
        : `the Docker daemon is not running (${problem.output}): start it (\`sudo systemctl start docker\`, or \`dockerd &\`) before loadgate`;
    case 'docker-failed':
      return fr
        ? `docker a échoué (code de sortie ${problem.code}) : ${problem.output}`
        : `docker failed (exit code ${problem.code}): ${problem.output}`;
    case 'no-labelled-container':
      return fr
        ? `aucun conteneur n’a le label ${problem.label} : nommer le projet avec stack.compose-project`
        : `no container has the label ${problem.label}: name the project with stack.compose-project`;
  }
}

/** The stack runner's fact as a sentence: `not ready after 60s (stack.ready-timeout); …`. */
export function stackErrorText(fact: StackErrorFact, locale: Locale): string {
  const fr = locale === 'fr';
  switch (fact.kind) {
    case 'port-in-use':
      return fr
        ? `le port ${fact.port} de la cible était déjà occupé avant le démarrage de la stack : un serveur d’une étape précédente serait testé à la place de cette stack`
        : `port ${fact.port} of the target is already in use before the stack started: a server from an earlier step would be load-tested instead of this stack`;
    case 'docker-unavailable':
      return fr
        ? `projet docker compose ${fact.project} : ${composeProblemText(fact.problem, locale)}`
        : `docker compose project ${fact.project}: ${composeProblemText(fact.problem, locale)}`;
    case 'exited':
      return fr
        ? `la commande de démarrage s’est terminée (${exitText(fact.code, fact.signal, fr)}) avant que la stack soit prête`
        : `the start command exited (${exitText(fact.code, fact.signal, fr)}) before the stack became ready`;
    case 'not-ready': {
      const detached = fact.detached
        ? fr
          ? ' (la commande de démarrage a rendu la main avec le code 0 : la stack tournait en arrière-plan)'
          : ' (the start command returned with exit code 0: the stack was started in the background)'
        : '';
      return fr
        ? `pas prête après ${formatDuration(fact.timeoutMs)} (stack.ready-timeout)${detached} ; dernière vérification : ${checkText(fact.lastCheck, fr)}`
        : `not ready after ${formatDuration(fact.timeoutMs)} (stack.ready-timeout)${detached}; last check: ${checkText(fact.lastCheck, fr)}`;
    }
    case 'stopped':
      return fr ? `arrêt pendant l’attente : ${fact.why}` : `stopped while waiting: ${fact.why}`;
  }
}

/** The run's error for a stack that did not start or never became ready: the report's headline. */
export function stackHeadline(fact: StackErrorFact, locale: Locale): string {
  const started = fact.kind !== 'port-in-use' && fact.kind !== 'docker-unavailable';
  const fr = locale === 'fr';
  const what = started
    ? fr
      ? 'stack pas prête'
      : 'stack not ready'
    : fr
      ? 'stack non démarrée'
      : 'stack not started';
  return `${what}${fr ? ' : ' : ': '}${stackErrorText(fact, locale)}`;
}

/** What happened to a crashed container (the `stack.crashed` finding and the stop say it alike). */
export function crashText(crash: CrashKind, fr: boolean): string {
  if (fr) {
    return crash === 'oom-killed'
      ? 'a été tué faute de mémoire'
      : crash === 'restarted'
        ? 's’est arrêté et a été redémarré'
        : 's’est arrêté';
  }
  return crash === 'oom-killed'
    ? 'was OOM-killed'
    : crash === 'restarted'
      ? 'exited and was restarted'
      : 'exited';
}

/** Why the run was stopped: `loadgate received SIGTERM`, `service db was OOM-killed during the run`. */
export function stopText(stop: StopFact, locale: Locale): string {
  const fr = locale === 'fr';
  switch (stop.kind) {
    case 'signal':
      return fr ? `loadgate a reçu ${stop.signal}` : `loadgate received ${stop.signal}`;
    case 'max-duration':
      return fr
        ? `max-duration (${formatDuration(stop.ms)}) atteint : le test a été arrêté`
        : `max-duration (${formatDuration(stop.ms)}) reached: the run was stopped`;
    case 'stack-exited':
      return fr
        ? `la stack s’est arrêtée (${exitText(stop.code, stop.signal, fr)}) pendant le test`
        : `the stack exited (${exitText(stop.code, stop.signal, fr)}) during the run`;
    case 'service-crashed': {
      const code = stop.exitCode === undefined ? '' : ` (${exitText(stop.exitCode, null, fr)})`;
      const what = crashText(stop.crash, fr);
      return fr
        ? `le service ${stop.service} ${what}${code} pendant le test`
        : `service ${stop.service} ${what}${code} during the run`;
    }
  }
}

/** Why the run ended early, as its headline says it. */
export function runErrorText(fact: RunErrorFact, locale: Locale): string {
  return fact.kind === 'stack' ? stackHeadline(fact.fact, locale) : stopText(fact.stop, locale);
}

/** The abort reason of a stop: its facts, and its English for logs. */
export function stopError(fact: StopFact): StopError {
  return new StopError(fact, stopText(fact, 'en'));
}
