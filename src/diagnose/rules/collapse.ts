import { rampStage } from '../capacity-cause.js';
import { percent, say, evidenceLogLines, type Rule } from '../context.js';
import { clockTime, endBurst } from '../windows.js';

/**
 * errors.collapse: the ramp's last seconds failed mostly while the seconds before were fine.
 * A whole-run failure rate averages that away ("5% failures"); the API fell over at a load.
 */
export const errorsCollapse: Rule = (input) => {
  const stage = rampStage(input);
  const burst = stage && endBurst(stage);
  if (!stage || !burst) return [];
  const share = percent(burst.failures, burst.requests);
  const whole = percent(stage.total.failures, stage.total.requests);
  const logs = evidenceLogLines(input, burst.window).slice(-3);
  return [
    {
      id: 'errors.collapse',
      title: say(
        input,
        `The API collapsed at the end of the ramp: its last ${burst.seconds} s failed ${share} of requests, from ${burst.users} users on`,
        `L’API s’est effondrée en fin de rampe : ses ${burst.seconds} dernières secondes ont échoué à ${share}, à partir de ${burst.users} utilisateurs`,
      ),
      confidence: 0.8,
      priority: 'high',
      evidence: [
        say(
          input,
          `seconds ${burst.fromSecond} to ${burst.fromSecond + burst.seconds - 1} of the ramp (from ${clockTime(burst.window.fromMs)} UTC, ${burst.users} users): ${burst.failures} of ${burst.requests} requests failed (${share})`,
          `secondes ${burst.fromSecond} à ${burst.fromSecond + burst.seconds - 1} de la rampe (dès ${clockTime(burst.window.fromMs)} UTC, ${burst.users} utilisateurs) : ${burst.failures} requêtes sur ${burst.requests} en échec (${share})`,
        ),
        say(
          input,
          `before that: ${burst.before.failures} of ${burst.before.requests} (${percent(burst.before.failures, burst.before.requests)}); over the whole ramp: ${whole}`,
          `avant : ${burst.before.failures} sur ${burst.before.requests} (${percent(burst.before.failures, burst.before.requests)}) ; sur toute la rampe : ${whole}`,
        ),
        ...logs.map((line) => `log: ${line}`),
      ],
      actions: [
        {
          text: say(
            input,
            `Find what ran out at ${burst.users} users — memory, connections, file descriptors, a pool, a crashed worker: read the stack log from ${clockTime(burst.window.fromMs)} UTC on, then re-run the ramp up to that load`,
            `Trouver ce qui s’est épuisé à ${burst.users} utilisateurs — mémoire, connexions, descripteurs de fichiers, un pool, un worker tombé : lire le journal de la stack à partir de ${clockTime(burst.window.fromMs)} UTC, puis relancer la rampe jusqu’à cette charge`,
          ),
          priority: 'high',
          effort: '2 h',
        },
      ],
    },
  ];
};
