import { resolveEngine } from './engine-options.js';
import { parsedConfig } from './schema.js';

/** loadgate.yml's schema: its shape, and the keys the chosen engine cannot honour refused by name. */
export const configSchema = parsedConfig.superRefine((config, ctx) => {
  // keys the chosen engine cannot honour are refused here, by name (never silently ignored)
  for (const issue of resolveEngine(config, '.').issues) {
    ctx.addIssue({ code: 'custom', path: issue.path, input: undefined, message: issue.message });
  }
});
