import type { CollapseFacts } from '../../report/finding-words/capacity.js';
import { w } from '../../report/finding-words/words.js';
import { rampStage } from '../capacity-cause.js';
import { evidenceLogLines, type Rule } from '../context.js';
import { clockTime, endBurst } from '../windows.js';

/**
 * errors.collapse: the ramp's last seconds failed mostly while the seconds before were fine.
 * A whole-run failure rate averages that away ("5% failures"); the API fell over at a load.
 */
export const errorsCollapse: Rule = (input) => {
  const stage = rampStage(input);
  const burst = stage && endBurst(stage);
  if (!stage || !burst) return [];
  const facts: CollapseFacts = {
    fromSecond: burst.fromSecond,
    seconds: burst.seconds,
    users: burst.users,
    requests: burst.requests,
    failures: burst.failures,
    before: burst.before,
    ramp: { requests: stage.total.requests, failures: stage.total.failures },
    clock: clockTime(burst.window.fromMs),
  };
  const logs = evidenceLogLines(input, burst.window).slice(-3);
  return [
    {
      id: 'errors.collapse',
      title: w('errors.collapse.title', facts),
      confidence: 0.8,
      priority: 'high',
      evidence: [
        w('errors.collapse.burst', facts),
        w('errors.collapse.before', facts),
        ...logs.map((line) => w('common.log-line', { line: line })),
      ],
      actions: [{ text: w('errors.collapse.action', facts), priority: 'high', effort: '2 h' }],
    },
  ];
};
