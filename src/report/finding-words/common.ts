/** Sentences several rule families say. */
import type { ProbeHypothesis } from '../../model/run-result.js';

/** A probe: the refused request re-sent changed as a hypothesis says, and what it got. */
export interface ProbeFacts {
  hypothesis: ProbeHypothesis;
  status: number;
  confirmed: boolean;
}

/** How a probe changed the request, as the evidence says it. */
function change(h: ProbeHypothesis): string {
  switch (h.kind) {
    case 'body':
      return h.body === 'form' ? 'sent as form data' : 'sent as JSON';
    case 'scheme':
      return `with \`Authorization: ${h.scheme} …\``;
    case 'login-token':
      return `with the login's token (\`Authorization: ${h.scheme} \${${h.variable}}\`)`;
    case 'field':
      return `with \`${h.to}\` instead of \`${h.from}\``;
  }
}
function changeFr(h: ProbeHypothesis): string {
  switch (h.kind) {
    case 'body':
      return h.body === 'form' ? 'envoyée en données de formulaire' : 'envoyée en JSON';
    case 'scheme':
      return `avec \`Authorization: ${h.scheme} …\``;
    case 'login-token':
      return `avec le jeton de la connexion (\`Authorization: ${h.scheme} \${${h.variable}}\`)`;
    case 'field':
      return `avec \`${h.to}\` au lieu de \`${h.from}\``;
  }
}

/** When an endpoint's failures began in the ramp. */
export interface OnsetFacts {
  /** The status, or the error message when there was no response. */
  what: string;
  second: number;
  users: number;
  rps: number;
  /** `19:22:05` */
  clock: string;
}

const en = {
  quoted: (a: { text: string }) => a.text,
  'common.load-only': () => 'the smoke stage (1 user) passed: this only happens under load',
  'common.failure-onset': (a: OnsetFacts) =>
    `the first ${a.what} came in second ${a.second} of the ramp, with ${a.users} users at ${a.rps} requests/s (${a.clock} UTC)`,
  'common.response-body': (a: { body: string }) => `response body: ${a.body || '(empty body)'}`,
  /** A line of the stack's log, as written. */
  'common.log-line': (a: { line: string }) => `log: ${a.line}`,
  'common.probe': (a: ProbeFacts) =>
    a.confirmed
      ? `confirmed by a probe: the same request ${change(a.hypothesis)} answered ${a.status}`
      : `probed: the same request ${change(a.hypothesis)} answered ${a.status || 'nothing'}, so not this`,
};

const fr: typeof en = {
  quoted: (a) => a.text,
  'common.load-only': () => "l'étape smoke (1 utilisateur) a réussi : cela n'arrive qu'en charge",
  'common.failure-onset': (a) =>
    `le premier ${a.what} est arrivé à la seconde ${a.second} de la rampe, avec ${a.users} utilisateurs à ${a.rps} requêtes/s (${a.clock} UTC)`,
  'common.response-body': (a) => `corps de la réponse : ${a.body || '(corps vide)'}`,
  'common.log-line': (a) => `journal : ${a.line}`,
  'common.probe': (a) =>
    a.confirmed
      ? `confirmé par une sonde : la même requête ${changeFr(a.hypothesis)} a reçu ${a.status}`
      : `sondé : la même requête ${changeFr(a.hypothesis)} a reçu ${a.status || 'aucune réponse'}, ce n’est donc pas cela`,
};

export const COMMON = { en, fr };

/** French agreement: "1 requête a reçu", "0 requête", "3 requêtes ont reçu". */
export function plural(count: number, one: string, many: string): string {
  return count <= 1 ? one : many;
}
