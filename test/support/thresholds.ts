import { configSchema } from '../../src/config/config-schema.js';
import type { Config } from '../../src/config/schema.js';

/** Thresholds exactly as a user writes them (`thresholds:` of the config), through the real schema. */
export function thresholdsOf(raw: Record<string, unknown> = {}): Config['thresholds'] {
  return configSchema.parse({
    target: 'http://127.0.0.1:1',
    scenario: { tasks: [{ request: { url: '/' } }] },
    thresholds: raw,
  }).thresholds;
}
