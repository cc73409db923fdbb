import { formatDuration } from '../config/duration.js';
import type { ReadyCheckFact, StackErrorFact } from '../model/stack-evidence.js';
import type { Locale } from './messages.js';

/**
 * Why the stack did not start or never became ready, in each locale, from the stack runner's
 * facts: the English is what logs and the JSON report's `error` hold, the report's locale is
 * what its headline says. Pure.
 */

function exitText(code: number | null, signal: string | null, fr: boolean): string {
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
        ? `projet docker compose ${fact.project} : ${fact.problem}`
        : `docker compose project ${fact.project}: ${fact.problem}`;
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
