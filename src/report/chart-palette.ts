import type { MessageKey } from './messages.js';

/**
 * The colour of each charted series, the same in every chart: a metric is recognisable across
 * charts, and none is drawn in a pale colour that vanishes on a light or a dark background.
 * `name` is the message key of the colour's name, for the legend of charts that have none.
 */
export const SERIES_PALETTE = {
  users: { colour: '#0f766e', name: 'teal' },
  rps: { colour: '#2563eb', name: 'blue' },
  p50: { colour: '#16a34a', name: 'green' },
  p95: { colour: '#ea580c', name: 'orange' },
  p99: { colour: '#9333ea', name: 'purple' },
  failures: { colour: '#dc2626', name: 'red' },
  baseline: { colour: '#6b7280', name: 'grey' },
} as const satisfies Record<string, { colour: `#${string}`; name: MessageKey }>;

export type Series = keyof typeof SERIES_PALETTE;
