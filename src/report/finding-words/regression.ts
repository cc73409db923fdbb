import type { ThresholdCheck } from '../../model/verdict.js';
import { thresholdFactText, thresholdLimit } from '../gate-messages.js';

/** What a regression finding is said from. */
export interface RegressionFacts {
  metric: 'p95' | 'failure-rate';
  /** The endpoints that regressed (none: all of them). */
  endpoints: string[];
  /** The baseline's commit (7 characters) or file; none: "the baseline". */
  against?: string | undefined;
}

/** One regressed threshold, as the gate judged it. */
export type RegressedThreshold = ThresholdCheck & { baseline: number; delta: number };

const where = (a: RegressionFacts) => (a.endpoints.length ? ` (${a.endpoints.join(', ')})` : '');
const signed = (t: RegressedThreshold) => `${t.delta > 0 ? '+' : ''}${t.delta}${t.unit}`;

const en = {
  'regression.confirmed': (a: RegressionFacts) =>
    `This change makes ${a.metric === 'p95' ? 'p95 latency' : 'the failure rate'} worse${where(a)} than ${a.against ?? 'the baseline'}`,
  'regression.unconfirmed': (a: RegressionFacts) =>
    `${a.metric === 'p95' ? 'p95 latency' : 'the failure rate'} may be worse${where(a)} than ${a.against ?? 'the baseline'}, not confirmed by the data`,
  'regression.threshold': (t: RegressedThreshold) =>
    `${t.scope === 'global' ? 'all endpoints' : t.scope}: ${t.baseline}${t.unit} → ${t.actual}${t.unit} (${signed(t)}; limit ${thresholdLimit(t, 'en')})${t.fact ? `; ${thresholdFactText(t.fact, t.scope, 'en')}` : ''}`,
  'regression.compare': (a: RegressionFacts) =>
    `Compare the PR's changes to ${a.endpoints[0] ?? 'the slower endpoints'} with ${a.against ?? 'the baseline'} (new queries, removed caching, added synchronous calls) and profile it`,
  'regression.longer-ramp': () =>
    'Run a longer ramp (`stages.ramp.duration`) so the comparison has enough requests to decide',
};

const fr: typeof en = {
  'regression.confirmed': (a) =>
    `Ce changement dégrade ${a.metric === 'p95' ? 'la latence p95' : 'le taux d’échec'}${where(a)} par rapport à ${a.against ?? 'la référence'}`,
  'regression.unconfirmed': (a) =>
    `${a.metric === 'p95' ? 'la latence p95' : 'le taux d’échec'} est peut-être dégradé(e)${where(a)} par rapport à ${a.against ?? 'la référence'}, sans confirmation`,
  'regression.threshold': (t) =>
    `${t.scope === 'global' ? 'tous les endpoints' : t.scope} : ${t.baseline}${t.unit} → ${t.actual}${t.unit} (${signed(t)} ; limite ${thresholdLimit(t, 'fr')})${t.fact ? ` ; ${thresholdFactText(t.fact, t.scope, 'fr')}` : ''}`,
  'regression.compare': (a) =>
    `Comparer les changements de la PR sur ${a.endpoints[0] ?? 'les endpoints ralentis'} avec ${a.against ?? 'la référence'} (nouvelles requêtes, cache retiré, appels synchrones ajoutés) et le profiler`,
  'regression.longer-ramp': () =>
    'Lancer une rampe plus longue (`stages.ramp.duration`) pour que la comparaison ait assez de requêtes',
};

export const REGRESSION = { en, fr };
