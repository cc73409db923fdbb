import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { diagnose } from '../support/diagnose.js';
import type { RunResult } from '../../src/model/run-result.js';
import { checkScenario } from '../../src/openapi/check-scenario.js';
import type { OpenApiDocument } from '../../src/openapi/spec.js';
import { readUntrustedReport } from '../../src/report/read-report.js';
import { buildJsonReport } from '../../src/report/report-data.js';
import { ROOT } from '../support/demo-stack.js';
import { endpoint, run, seedFailure, stage } from '../support/run-result.js';

const SOURCE = 'http://127.0.0.1:8000/openapi.json';
const fastapi = JSON.parse(
  readFileSync(path.join(ROOT, 'test', 'fixtures', 'openapi', 'fastapi-app.json'), 'utf8'),
) as OpenApiDocument;

/** The seed's config (a JSON login) and its run, with what the OpenAPI check found. */
function seed(loginAs: 'json' | 'form', result: RunResult = seedFailure()) {
  const config = configSchema.parse({
    target: 'http://127.0.0.1:8000',
    scenario: {
      setup: [
        {
          name: 'POST /token',
          request: {
            method: 'POST',
            url: '/token',
            [loginAs]: { username: 'demo', password: 'x' },
          },
        },
      ],
      tasks: [{ request: { url: '/items', headers: { Authorization: 'Bearer ${token}' } } }],
    },
  });
  const checked = checkScenario(fastapi, config.scenario, { target: config.target });
  return {
    config,
    result: { ...result, openapi: { source: SOURCE, version: '3.0.2', ...checked } },
  };
}

describe('openapi rules', () => {
  it('the seed’s JSON login is named from the document first, with its fix (en)', () => {
    const { findings, plan } = diagnose(seed('json'));
    // one cause, one finding: auth.request-format would repeat it from the response alone
    expect(findings[0]?.id).toBe('openapi.media-type');
    expect(findings.map((f) => f.id)).not.toContain('auth.request-format');
    expect(findings[0]).toEqual({
      id: 'openapi.media-type',
      title:
        "POST /token sends application/json, but the API's OpenAPI document says POST /token takes application/x-www-form-urlencoded",
      confidence: 0.95,
      priority: 'high',
      evidence: [
        `OpenAPI document (${SOURCE}): POST /token (login_token_post): requestBody content \`application/x-www-form-urlencoded\``,
        'the scenario (`scenario.setup[0]`): `json:` sends the body as application/json',
        'found by reading the document before the smoke stage, not from failed requests',
        '1 of 1 request of this step failed in the smoke stage (422)',
        expect.stringMatching(
          /^response body: \{"detail":\[\{"type":"missing","loc":\["body","username"\]/,
        ),
      ],
      actions: [
        {
          text: 'In loadgate.yml, under `scenario.setup[0].request`, replace `json:` with `form:` so the body is sent as application/x-www-form-urlencoded',
          priority: 'high',
          effort: '5 min',
        },
      ],
    });
    expect(plan[0]?.findingId).toBe('openapi.media-type');
  });

  it('the same finding in French', () => {
    const { findings } = diagnose({ ...seed('json'), locale: 'fr' });
    expect(findings[0]?.title).toBe(
      'POST /token envoie application/json, mais le document OpenAPI de l’API indique que POST /token attend application/x-www-form-urlencoded',
    );
    expect(findings[0]?.evidence.slice(1)).toEqual([
      'le scénario (`scenario.setup[0]`) : `json:` envoie le corps en application/json',
      'trouvé en lisant le document avant l’étape smoke, pas à partir de requêtes en échec',
      '1 requête sur 1 de cette étape a échoué à l’étape smoke (422)',
      expect.stringMatching(/^corps de la réponse : \{"detail"/),
    ]);
    expect(findings[0]?.actions[0]?.text).toBe(
      'Dans loadgate.yml, sous `scenario.setup[0].request`, remplacer `json:` par `form:` pour envoyer le corps en application/x-www-form-urlencoded',
    );
  });

  it('a security mismatch, in both locales', () => {
    const config = configSchema.parse({
      target: 'http://127.0.0.1:8000',
      scenario: { tasks: [{ request: { url: '/items' } }] },
    });
    const checked = checkScenario(fastapi, config.scenario, { target: config.target });
    const result = { ...run([]), openapi: { source: SOURCE, version: '3.0.2', ...checked } };
    const en = diagnose({ config, result }).findings[0];
    expect(en?.id).toBe('openapi.security-missing');
    expect(en?.title).toBe(
      "GET /items sends no credentials, but the API's OpenAPI document says GET /items requires OAuth2PasswordBearer (oauth2)",
    );
    expect(en?.actions[0]?.text).toBe(
      'In loadgate.yml, send the credentials: add `headers: { Authorization: "Bearer ${token}" }` to `scenario.tasks[0].request`',
    );
    const fr = diagnose({ config, result, locale: 'fr' }).findings[0];
    expect(fr?.title).toBe(
      'GET /items n’envoie pas d’identifiants, mais le document OpenAPI de l’API indique que GET /items exige OAuth2PasswordBearer (oauth2)',
    );
    expect(fr?.evidence[1]).toBe(
      'le scénario (`scenario.tasks[0]`) : aucun en-tête Authorization sur cette requête',
    );
  });

  it('a step the API accepted every time is only a low note (the document may be out of date)', () => {
    const passed = run([
      stage('smoke', [
        endpoint({ name: 'POST /token', requests: 5 }),
        endpoint({ name: 'GET /items', requests: 5 }),
      ]),
    ]);
    const { findings } = diagnose(seed('json', passed));
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      id: 'openapi.media-type',
      priority: 'low',
      confidence: 0.3,
    });
    expect(findings[0]?.evidence[3]).toBe(
      'yet the API answered all 5 requests of this step without a failure: the document may be out of date',
    );
  });

  it('a step that failed for another reason but got some 2xx is a low note too', () => {
    const mixed = run([
      stage('smoke', [
        endpoint({
          name: 'POST /token',
          requests: 4,
          failures: 1,
          statusCodes: { '200': 3, '500': 1 },
        }),
      ]),
    ]);
    const finding = diagnose(seed('json', mixed)).findings.find(
      (f) => f.id === 'openapi.media-type',
    );
    expect(finding).toMatchObject({ priority: 'low', confidence: 0.3 });
    expect(finding?.evidence[3]).toBe(
      'yet the API accepted 3 of 4 requests of this step (2xx/3xx): the document may be out of date',
    );
    const frFinding = diagnose({ ...seed('json', mixed), locale: 'fr' }).findings.find(
      (f) => f.id === 'openapi.media-type',
    );
    expect(frFinding?.evidence[3]).toBe(
      'pourtant l’API a accepté 3 requêtes sur 4 de cette étape (2xx/3xx) : le document n’est peut-être pas à jour',
    );
  });

  it('no document, or a scenario that matches it: no openapi finding', () => {
    expect(diagnose(seed('form')).findings.filter((f) => f.id.startsWith('openapi.'))).toEqual([]);
    const { config } = seed('json');
    expect(diagnose({ config, result: seedFailure() }).findings[0]?.id).toBe('auth.request-format');
  });

  it('the mismatches are kept in the JSON report, and read back from an untrusted one', () => {
    const input = seed('json');
    const { findings, plan } = diagnose(input);
    const report = buildJsonReport({
      version: '0.1.0',
      generatedAt: new Date('2026-11-29T00:00:00Z'),
      target: 'http://127.0.0.1:8000',
      configDigest: 'sha256:abc',
      result: input.result,
      findings,
      plan,
    });
    expect(report.openapi?.mismatches.map((m) => m.kind)).toEqual(['media-type']);
    const json = JSON.stringify(report);
    expect(readUntrustedReport(json, 'report.json')).toEqual(JSON.parse(json));
  });
});
