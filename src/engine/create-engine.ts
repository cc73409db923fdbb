import path from 'node:path';
import type { Config } from '../config/schema.js';
import { createBuiltinEngine } from './builtin/builtin-engine.js';
import type { Engine } from './engine.js';
import { createLocustEngine } from './locust/locust-engine.js';

/** The engine the config asks for: the built-in one, or Locust (a locustfile or the scenario). */
export function createEngine(config: Config, baseDir: string): Engine {
  if (config.engine === 'locust') {
    return createLocustEngine(
      config.locustfile ? { locustfile: path.resolve(baseDir, config.locustfile) } : {},
    );
  }
  return createBuiltinEngine();
}
