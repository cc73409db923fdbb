import type { Finding, ThresholdCheck } from '../../model/verdict.js';
import { thresholdFactText, thresholdLimit } from '../../report/gate-messages.js';
import { say, type DiagnoseInput, type Rule } from '../context.js';

function regressionFinding(
  input: DiagnoseInput,
  metric: 'p95' | 'failure-rate',
  id: string,
): Finding[] {
  const regressions = (input.gate?.thresholds ?? []).filter(
    (t): t is ThresholdCheck & { baseline: number; delta: number } =>
      t.kind === 'regression' && t.metric === metric && t.status !== 'pass',
  );
  if (regressions.length === 0) return [];
  const confirmed = regressions.filter((t) => t.status === 'fail');
  const endpoints = regressions.filter((t) => t.scope !== 'global').map((t) => t.scope);
  const against =
    input.gate?.baseline?.commit?.slice(0, 7) ?? input.gate?.baseline?.source ?? 'the baseline';
  const what =
    metric === 'p95'
      ? say(input, 'p95 latency', 'la latence p95')
      : say(input, 'the failure rate', 'le taux d’échec');
  const where = endpoints.length ? ` (${endpoints.join(', ')})` : '';
  return [
    {
      id,
      title: confirmed.length
        ? say(
            input,
            `This change makes ${what} worse${where} than ${against}`,
            `Ce changement dégrade ${what}${where} par rapport à ${against}`,
          )
        : say(
            input,
            `${what} may be worse${where} than ${against}, not confirmed by the data`,
            `${what} est peut-être dégradé(e)${where} par rapport à ${against}, sans confirmation`,
          ),
      confidence: confirmed.length ? 0.8 : 0.4,
      priority: confirmed.length ? 'high' : 'low',
      evidence: regressions.map((t) =>
        say(
          input,
          `${t.scope === 'global' ? 'all endpoints' : t.scope}: ${t.baseline}${t.unit} → ${t.actual}${t.unit} (${t.delta > 0 ? '+' : ''}${t.delta}${t.unit}; limit ${thresholdLimit(t, 'en')})${t.fact ? `; ${thresholdFactText(t.fact, t.scope, 'en')}` : ''}`,
          `${t.scope === 'global' ? 'tous les endpoints' : t.scope} : ${t.baseline}${t.unit} → ${t.actual}${t.unit} (${t.delta > 0 ? '+' : ''}${t.delta}${t.unit} ; limite ${thresholdLimit(t, 'fr')})${t.fact ? ` ; ${thresholdFactText(t.fact, t.scope, 'fr')}` : ''}`,
        ),
      ),
      actions: [
        {
          text: confirmed.length
            ? say(
                input,
                `Compare the PR's changes to ${endpoints[0] ?? 'the slower endpoints'} with ${against} (new queries, removed caching, added synchronous calls) and profile it`,
                `Comparer les changements de la PR sur ${endpoints[0] ?? 'les endpoints ralentis'} avec ${against} (nouvelles requêtes, cache retiré, appels synchrones ajoutés) et le profiler`,
              )
            : say(
                input,
                'Run a longer ramp (`stages.ramp.duration`) so the comparison has enough requests to decide',
                'Lancer une rampe plus longue (`stages.ramp.duration`) pour que la comparaison ait assez de requêtes',
              ),
          priority: confirmed.length ? 'high' : 'low',
          effort: confirmed.length ? '2 h' : '5 min',
        },
      ],
    },
  ];
}

export const latencyRegression: Rule = (input) =>
  regressionFinding(input, 'p95', 'latency.regression');
export const errorsRegression: Rule = (input) =>
  regressionFinding(input, 'failure-rate', 'errors.regression');
