import { describe, expect, it } from 'vitest';
import type { StackErrorFact } from '../../src/model/stack-evidence.js';
import type { StopFact } from '../../src/model/run-result.js';
import { stackErrorText, stackHeadline, stopText } from '../../src/report/run-error-messages.js';
import { english } from '../support/english.js';

const CASES: { fact: StackErrorFact; en: string; fr: string }[] = [
  {
    fact: { kind: 'port-in-use', port: 8000 },
    en: 'stack not started: port 8000 of the target is already in use before the stack started: a server from an earlier step would be load-tested instead of this stack',
    fr: 'stack non démarrée : le port 8000 de la cible était déjà occupé avant le démarrage de la stack : un serveur d’une étape précédente serait testé à la place de cette stack',
  },
  {
    fact: { kind: 'docker-unavailable', project: 'shop', problem: { kind: 'no-cli' } },
    en: 'stack not started: docker compose project shop: the docker CLI is not installed or not on PATH (install Docker, or run loadgate where it is)',
    fr: 'stack non démarrée : projet docker compose shop : la CLI docker n’est pas installée ou pas dans le PATH (installer Docker, ou lancer loadgate là où il l’est)',
  },
  {
    fact: { kind: 'exited', code: 3, signal: null },
    en: 'stack not ready: the start command exited (exit code 3) before the stack became ready',
    fr: 'stack pas prête : la commande de démarrage s’est terminée (code de sortie 3) avant que la stack soit prête',
  },
  {
    fact: { kind: 'exited', code: null, signal: 'SIGKILL' },
    en: 'stack not ready: the start command exited (killed by SIGKILL) before the stack became ready',
    fr: 'stack pas prête : la commande de démarrage s’est terminée (tuée par SIGKILL) avant que la stack soit prête',
  },
  {
    fact: {
      kind: 'not-ready',
      timeoutMs: 60_000,
      detached: false,
      lastCheck: { kind: 'no-answer', url: 'http://127.0.0.1:8000/health', error: 'ECONNREFUSED' },
    },
    en: 'stack not ready: not ready after 1m (stack.ready-timeout); last check: http://127.0.0.1:8000/health: ECONNREFUSED',
    fr: 'stack pas prête : pas prête après 1m (stack.ready-timeout) ; dernière vérification : http://127.0.0.1:8000/health: ECONNREFUSED',
  },
  {
    fact: {
      kind: 'not-ready',
      timeoutMs: 600,
      detached: true,
      lastCheck: {
        kind: 'status',
        url: 'http://127.0.0.1:8000/health',
        status: 503,
        expected: [200, 204],
      },
    },
    en: 'stack not ready: not ready after 600ms (stack.ready-timeout) (the start command returned with exit code 0: the stack was started in the background); last check: http://127.0.0.1:8000/health answered 503, expected 200 or 204',
    fr: 'stack pas prête : pas prête après 600ms (stack.ready-timeout) (la commande de démarrage a rendu la main avec le code 0 : la stack tournait en arrière-plan) ; dernière vérification : http://127.0.0.1:8000/health a répondu 503, attendu 200 ou 204',
  },
  {
    fact: {
      kind: 'not-ready',
      timeoutMs: 5000,
      detached: false,
      lastCheck: { kind: 'log-pattern', pattern: 'Application startup complete' },
    },
    en: 'stack not ready: not ready after 5s (stack.ready-timeout); last check: no log line matches /Application startup complete/ yet',
    fr: 'stack pas prête : pas prête après 5s (stack.ready-timeout) ; dernière vérification : aucune ligne du journal ne correspond encore à /Application startup complete/',
  },
  {
    fact: { kind: 'not-ready', timeoutMs: 1000, detached: false, lastCheck: { kind: 'none' } },
    en: 'stack not ready: not ready after 1s (stack.ready-timeout); last check: no attempt was made',
    fr: 'stack pas prête : pas prête après 1s (stack.ready-timeout) ; dernière vérification : aucune tentative',
  },
  {
    fact: { kind: 'stopped', why: 'SIGTERM' },
    en: 'stack not ready: stopped while waiting: SIGTERM',
    fr: 'stack pas prête : arrêt pendant l’attente : SIGTERM',
  },
];

describe('why the stack did not start or become ready, in each locale', () => {
  it.each(CASES)('$fact.kind', ({ fact, en, fr }) => {
    expect(stackHeadline(fact, 'en')).toBe(en);
    expect(stackHeadline(fact, 'fr')).toBe(fr);
    expect(stackHeadline(fact, 'en').endsWith(stackErrorText(fact, 'en'))).toBe(true);
    // what is left once the data (URLs, codes, docker's words, the pattern) is removed
    const words = fr
      .replace(/https?:\/\/\S+|docker: not found|\/[^/]+\/|stack\.ready-timeout/g, ' ')
      .replace(/\b[A-Z]{3,}\b/g, ' ');
    expect(english(words)).toEqual([]);
  });
});

const STOPS: { stop: StopFact; en: string; fr: string }[] = [
  {
    stop: { kind: 'signal', signal: 'SIGTERM' },
    en: 'loadgate received SIGTERM',
    fr: 'loadgate a reçu SIGTERM',
  },
  {
    stop: { kind: 'max-duration', ms: 120_000 },
    en: 'max-duration (2m) reached: the run was stopped',
    fr: 'max-duration (2m) atteint : le test a été arrêté',
  },
  {
    stop: { kind: 'stack-exited', code: 3, signal: null },
    en: 'the stack exited (exit code 3) during the run',
    fr: 'la stack s’est arrêtée (code de sortie 3) pendant le test',
  },
  {
    stop: { kind: 'service-crashed', service: 'db', crash: 'oom-killed', exitCode: 137 },
    en: 'service db was OOM-killed (exit code 137) during the run',
    fr: 'le service db a été tué faute de mémoire (code de sortie 137) pendant le test',
  },
  {
    stop: { kind: 'service-crashed', service: 'app', crash: 'restarted' },
    en: 'service app exited and was restarted during the run',
    fr: 'le service app s’est arrêté et a été redémarré pendant le test',
  },
];

describe('why the run was stopped, in each locale', () => {
  it.each(STOPS)('$stop.kind', ({ stop, en, fr }) => {
    expect(stopText(stop, 'en')).toBe(en);
    expect(stopText(stop, 'fr')).toBe(fr);
    const words = fr.replace(/max-duration|\bSIG[A-Z]+\b/g, ' ');
    expect(english(words)).toEqual([]);
  });
});
