import type { ErrorGroup, ErrorKind } from '../../model/run-result.js';
import type { LatencyOverLimit } from '../../report/finding-words/capacity.js';
import { w, type FindingFacts, type Words } from '../../report/finding-words/words.js';
import {
  capacityCause,
  confidenceOf,
  generatorSignals,
  p95Failed,
  rampStage,
  type CapacityCause,
} from '../capacity-cause.js';
import { endpointViews, failureOnsetNote, loadOnlyNote, type Rule } from '../context.js';
import { findKnee } from '../knee.js';

function capacityTitle(cause: CapacityCause): Words {
  switch (cause.kind) {
    case 'cpu-bound':
      return w('capacity.cpu-bound.title', cause.knee);
    case 'shared-bottleneck':
      return w('capacity.shared-bottleneck.title', cause.knee);
    default:
      return w('capacity.saturation.title', cause.knee);
  }
}

/** The first action of a capacity cause; latency.threshold repeats it when the cause explains it. */
function capacityAction(cause: CapacityCause): Words {
  switch (cause.kind) {
    case 'cpu-bound':
      return w('capacity.cpu-bound.action');
    case 'shared-bottleneck':
      return w('capacity.shared-bottleneck.action', { atOnce: cause.atOnce });
    default:
      return w('capacity.saturation.action');
  }
}

/** capacity.cpu-bound, capacity.shared-bottleneck, or capacity.saturation when the CPU does not tell. */
export const saturation: Rule = (input) => {
  const cause = capacityCause(input);
  if (!cause) return [];
  const { knee } = cause;
  return [
    {
      id: cause.id,
      title: capacityTitle(cause),
      confidence: confidenceOf(cause.signals),
      priority: 'high',
      evidence: [
        w('capacity.knee', knee),
        w('capacity.signals', { signals: cause.signals }),
        ...(knee.capacityUsers !== undefined
          ? [w('capacity.met-threshold', { users: knee.capacityUsers })]
          : []),
      ],
      actions: [{ text: capacityAction(cause), priority: 'high', effort: '1 d' }],
    },
  ];
};

/** Requests the server let time out or whose connection it dropped. */
const DROPPED_KINDS: ReadonlySet<ErrorKind> = new Set(['timeout', 'reset', 'closed']);
const dropped = (group: ErrorGroup) => group.kind !== undefined && DROPPED_KINDS.has(group.kind);

/** capacity.timeouts: an endpoint fine in the smoke stage whose requests time out or drop under load. */
export const timeouts: Rule = (input) =>
  endpointViews(input)
    .filter((v) => v.loadOnly && v.stats.errors.some(dropped))
    .slice(0, 1)
    .map((v): FindingFacts => {
      const errors = v.stats.errors
        .filter(dropped)
        .map((e) => ({ message: e.message, count: e.count }));
      const count = errors.reduce((n, e) => n + e.count, 0);
      return {
        id: 'capacity.timeouts',
        title: w('capacity.timeouts.title', { endpoint: v.stats.name }),
        confidence: 0.75,
        priority: 'high',
        evidence: [
          w('capacity.timeouts.dropped', { count, requests: v.stats.requests, errors }),
          ...loadOnlyNote(v),
          ...failureOnsetNote(v, dropped),
        ],
        actions: [{ text: w('capacity.timeouts.action'), priority: 'high', effort: '2 h' }],
      };
    });

/** generator.saturated: the load generator was the limit (its CPU, its event loop, a plateau). */
export const generatorSaturated: Rule = (input) => {
  const signals = generatorSignals(input);
  if (!signals) return [];
  const latencyFailed = p95Failed(input);
  const stage = rampStage(input);
  const knee = stage && findKnee(stage.timeline, input.config?.thresholds.global.p95?.value);
  if (knee)
    signals.push({ kind: 'generator-plateau', peakRps: knee.peakRps, kneeUsers: knee.kneeUsers });
  const priority = latencyFailed ? (knee ? 'high' : 'medium') : 'low';
  return [
    {
      id: 'generator.saturated',
      title: w('generator.saturated.title'),
      confidence: confidenceOf(signals),
      priority,
      evidence: [w('capacity.signals', { signals })],
      actions: [{ text: w('generator.saturated.action'), priority, effort: '30 min' }],
    },
  ];
};

/** latency.threshold: a p95 over its limit, pointing to the capacity cause that explains it. */
export const latencyThreshold: Rule = (input) => {
  const failed = (input.gate?.thresholds ?? []).filter(
    (t): t is LatencyOverLimit =>
      t.kind !== 'regression' &&
      t.metric === 'p95' &&
      t.status === 'fail' &&
      t.actual !== null &&
      !t.fact,
  );
  if (failed.length === 0) return [];
  const stage = rampStage(input) ?? input.result?.stages.find((s) => s.name === 'smoke');
  const slowest = [...(stage?.endpoints ?? [])]
    .filter((e) => e.requests > 0)
    .sort((a, b) => b.latency.p95 - a.latency.p95)
    .slice(0, 3);
  // a capacity cause explains the p95: this finding points to it and shares its action
  const cause = capacityCause(input);
  return failed.map((t): FindingFacts => ({
    id: 'latency.threshold',
    title: w('latency.threshold.title', t),
    confidence: cause ? 0.5 : 0.7,
    priority: 'medium',
    evidence: [
      w('latency.threshold.measured', t),
      ...(cause ? [w('latency.threshold.explained', { cause: cause.id, knee: cause.knee })] : []),
      ...slowest.map((e) =>
        w('latency.threshold.slowest', {
          endpoint: e.name,
          p95: e.latency.p95,
          requests: e.requests,
        }),
      ),
    ],
    actions: [
      cause
        ? { text: capacityAction(cause), priority: 'medium', effort: '1 d' }
        : {
            text: w('latency.threshold.profile', { endpoint: slowest[0]?.name }),
            priority: 'medium',
            effort: '4 h',
          },
    ],
  }));
};
