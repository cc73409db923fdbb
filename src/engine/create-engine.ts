import { resolveEngine } from '../config/engine-options.js';
import { formatPath } from '../config/format-issues.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../shared/errors.js';
import { createBuiltinEngine } from './builtin/builtin-engine.js';
import type { Engine } from './engine.js';
import { createLocustEngine } from './locust/locust-engine.js';

/** The engine the config asks for, built with the options resolveEngine gives it. */
export function createEngine(config: Config, baseDir: string): Engine {
  const { options, issues } = resolveEngine(config, baseDir);
  // a parsed config has none (the schema refuses them); a hand-built one may
  if (issues.length > 0) {
    throw new ConfigError(issues.map((i) => `\`${formatPath(i.path)}\`: ${i.message}`).join('\n'));
  }
  return options.engine === 'locust' ? createLocustEngine(options.locust) : createBuiltinEngine();
}
