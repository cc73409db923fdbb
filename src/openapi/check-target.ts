import type { Config } from '../config/schema.js';
import type { Logger } from '../shared/logger.js';
import type { OpenApiEvidence, OpenApiMismatch } from '../model/openapi-evidence.js';
import { checkScenario } from './check-scenario.js';
import { loadSpec } from './load-spec.js';
import { DEFAULT_SPEC_PATH } from './spec.js';

/**
 * Once the target answers: reads its OpenAPI document (the `openapi` key, else
 * `<target>/openapi.json`) and checks every scenario request against it, logging each mismatch
 * (in the words `describe` gives it: the diagnosis words them) before the smoke stage. No document is fine: a debug line when it was only probed, a warning
 * when the config names one.
 */
export async function checkAgainstOpenApi(
  config: Config,
  options: {
    baseDir: string;
    logger: Logger;
    describe: (mismatch: OpenApiMismatch) => string;
    fetch?: typeof fetch;
    signal?: AbortSignal;
  },
): Promise<OpenApiEvidence | undefined> {
  const { logger } = options;
  if (config.openapi === false) return undefined;
  // a user's locustfile sends what loadgate cannot see: nothing to check, so nothing to fetch
  if (config.locustfile !== undefined) {
    if (config.openapi !== undefined) {
      logger.warning(
        'openapi: the scenario is in a locustfile, which loadgate does not read: no request is checked against the document',
      );
    }
    return undefined;
  }
  const location = config.openapi ?? `${config.target}${DEFAULT_SPEC_PATH}`;
  const loaded = await loadSpec(location, {
    baseDir: options.baseDir,
    fetch: options.fetch,
    signal: options.signal,
  });
  if (!loaded.ok) {
    const message = `no OpenAPI document at ${loaded.source} (${loaded.reason}): the scenario is not checked against one`;
    if (config.openapi === undefined) logger.debug(message);
    else logger.warning(`openapi: ${message}`);
    return undefined;
  }
  const { checked, mismatches } = checkScenario(loaded.spec, config.scenario, {
    target: config.target,
    ...(/^https?:/i.test(loaded.source) ? { specUrl: loaded.source } : {}),
  });
  logger.info(
    `OpenAPI ${loaded.spec.openapi} document ${loaded.source}: ${checked} scenario requests checked, ${mismatches.length} ${mismatches.length === 1 ? 'mismatch' : 'mismatches'}`,
  );
  for (const mismatch of mismatches) logger.warning(options.describe(mismatch));
  return { source: loaded.source, version: loaded.spec.openapi, checked, mismatches };
}
