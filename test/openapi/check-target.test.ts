import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { describeMismatch } from '../../src/diagnose/rules/openapi.js';
import type { Logger } from '../../src/shared/logger.js';
import type { OpenApiMismatch } from '../../src/model/openapi-evidence.js';
import { checkAgainstOpenApi } from '../../src/openapi/check-target.js';
import { word } from '../../src/report/finding-words/words.js';
import { ROOT } from '../support/demo-stack.js';
import { startServer } from '../support/http-server.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'openapi');

function recordingLogger() {
  const lines: string[] = [];
  const logger: Logger = {
    info: (m) => lines.push(`info: ${m}`),
    warning: (m) => lines.push(`warning: ${m}`),
    error: (m) => lines.push(`error: ${m}`),
    debug: (m) => lines.push(`debug: ${m}`),
    group: (_name, fn) => fn(),
    setSecret: () => undefined,
  };
  return { lines, logger };
}

/** The words of the diagnosis, as run-on-stack passes them. */
const wordsOf = (m: OpenApiMismatch) => {
  const { title, fix } = describeMismatch(m);
  return `${word(title, 'en')}. ${word(fix, 'en')}`;
};

describe('checkAgainstOpenApi (the probe once the stack is ready)', () => {
  let withSpec: Awaited<ReturnType<typeof startServer>>;
  let without: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    const body = readFileSync(path.join(FIXTURES, 'fastapi-app.json'), 'utf8');
    withSpec = await startServer({ '/openapi.json': () => ({ body }) });
    without = await startServer({});
  });
  afterAll(async () => {
    await withSpec.close();
    await without.close();
  });

  const config = (target: string, openapi?: string | false) =>
    configSchema.parse({
      target,
      ...(openapi === undefined ? {} : { openapi }),
      scenario: {
        setup: [
          { request: { method: 'POST', url: '/token', json: { username: 'u', password: 'p' } } },
        ],
        tasks: [{ request: { url: '/items', headers: { Authorization: 'Bearer ${token}' } } }],
      },
    });

  it('finds <target>/openapi.json by default and logs each mismatch', async () => {
    const { lines, logger } = recordingLogger();
    const evidence = await checkAgainstOpenApi(config(withSpec.url), {
      baseDir: ROOT,
      logger,
      describe: wordsOf,
    });
    expect(evidence?.mismatches.map((m) => m.kind)).toEqual(['media-type']);
    expect(lines).toEqual([
      `info: OpenAPI 3.0.2 document ${withSpec.url}/openapi.json: 2 scenario requests checked, 1 mismatch`,
      "warning: POST /token sends application/json, but the API's OpenAPI document says POST /token takes application/x-www-form-urlencoded. In loadgate.yml, under `scenario.setup[0].request`, replace `json:` with `form:` so the body is sent as application/x-www-form-urlencoded",
    ]);
  });

  it('no document at the default place: only a debug line', async () => {
    const { lines, logger } = recordingLogger();
    expect(
      await checkAgainstOpenApi(config(without.url), { baseDir: ROOT, logger, describe: wordsOf }),
    ).toBe(undefined);
    expect(lines).toEqual([
      `debug: no OpenAPI document at ${without.url}/openapi.json (HTTP 404): the scenario is not checked against one`,
    ]);
  });

  it('a configured document that cannot be read is a warning; `openapi: false` asks nothing', async () => {
    const { lines, logger } = recordingLogger();
    await checkAgainstOpenApi(config(without.url, 'missing.yaml'), {
      baseDir: FIXTURES,
      logger,
      describe: wordsOf,
    });
    expect(lines).toEqual([
      `warning: openapi: no OpenAPI document at ${path.join(FIXTURES, 'missing.yaml')} (no such file): the scenario is not checked against one`,
    ]);
    const seen = withSpec.seen.length;
    const quiet = recordingLogger();
    const off = await checkAgainstOpenApi(config(withSpec.url, false), {
      baseDir: ROOT,
      logger: quiet.logger,
      describe: wordsOf,
    });
    expect(off).toBeUndefined();
    expect(withSpec.seen.length).toBe(seen);
    expect(quiet.lines).toEqual([]);
  });
});
