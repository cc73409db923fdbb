import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/config-schema.js';
import { diagnose } from '../support/diagnose.js';
import { evaluateGate } from '../../src/gate/evaluate-gate.js';
import { fitComment } from '../../src/report/fit-comment.js';
import { codeBlock, inline } from '../../src/report/markdown-safe.js';
import { createRedactor, redactDeep } from '../../src/report/redact.js';
import { buildJsonReport } from '../../src/report/report-data.js';
import { renderMarkdown } from '../../src/report/render-markdown.js';
import { seedFailure } from '../support/run-result.js';
import { sampleReport } from '../support/sample-reports.js';

function seedReport() {
  const config = configSchema.parse({
    target: 'http://127.0.0.1:8000',
    scenario: {
      setup: [
        {
          name: 'POST /token',
          request: { method: 'POST', url: '/token', json: { username: 'u', password: 'p' } },
        },
      ],
      tasks: [{ request: { url: '/items' } }],
    },
  });
  const result = seedFailure();
  const gate = evaluateGate(result, config.thresholds);
  const { findings, plan } = diagnose({ config, result, gate });
  return buildJsonReport({
    version: '0.1.0',
    generatedAt: new Date('2026-11-23T00:00:00Z'),
    target: config.target,
    configDigest: 'abc',
    result,
    gate,
    findings,
    plan,
  });
}

describe('renderMarkdown', () => {
  it('puts the verdict, the cause and the first action before any number', () => {
    const md = renderMarkdown(seedReport(), { locale: 'en' });
    const lines = md.split('\n');
    expect(lines[0]).toBe(
      '## ❌ loadgate: FAIL — Smoke stage failed: POST /token returned 422 for every request',
    );
    expect(md.indexOf('**Most probable cause:**')).toBeLessThan(md.indexOf('### Stages'));
    expect(md).toContain('`auth.request-format`');
    expect(md).toContain(
      '**Do this first:** In loadgate.yml, under `scenario.setup[0].request`, replace `json:` with `form:`',
    );
  });

  it('shows the actual status and response body of the failure', () => {
    const md = renderMarkdown(seedReport(), { locale: 'en' });
    expect(md).toContain('HTTP 422');
    expect(md).toContain('{"detail":[{"type":"missing","loc":["body","username"]');
    expect(md).toContain('| smoke | completed | 1 |');
    expect(md).toContain(
      '| ramp | skipped: smoke stage failed (1 of 1 request failed; first error: HTTP 422), so the ramp was not run |',
    );
  });

  it("words the stage runner's reasons, the statuses and the environment in French", () => {
    const md = renderMarkdown(sampleReport(seedFailure(), 'fr'), { locale: 'fr' });
    expect(md).toContain(
      '| ramp | sautée\u00a0: échec de l’étape smoke (1 requête sur 1 en échec ; première erreur : HTTP 422), l’étape ramp n’a donc pas tourné |',
    );
    expect(md).toContain(
      '| p95 | &lt; 500ms | 5 ms | ❌ échec (toutes les requêtes ont échoué : cette latence est le temps d’obtenir une erreur) |',
    );
    expect(md).toContain(
      '<sub>Environnement\u00a0: loadgate 0.1.0 · moteur builtin · 2 cœurs, Node v24.0.0 · CPU du générateur 30%, retard de la boucle d’événements ≤ 5 ms · commit aaaaaaa · config d1g35t · cible http://127.0.0.1:8000</sub>',
    );
  });

  it('flags latencies of requests that all failed instead of praising them', () => {
    const md = renderMarkdown(seedReport(), { locale: 'en' });
    expect(md).toContain(
      'POST /token: errors only: every request failed; these latencies measure how fast errors come back, not the service.',
    );
    expect(md).toMatch(/p95 \| &lt; 500ms \| 5 ms \| ❌ fail \(every request failed/);
  });

  it('says so when most requests failed, not only all of them', () => {
    const report = seedReport();
    const token = report.stages[0]!.endpoints[0]!;
    token.requests = 10;
    token.failures = 6;
    const md = renderMarkdown(report, { locale: 'en' });
    expect(md).toContain(
      'POST /token: most requests failed; these latencies measure how fast errors come back, not the service.',
    );
  });

  it('renders French', () => {
    const md = renderMarkdown(seedReport(), { locale: 'fr' });
    expect(md.split('\n')[0]).toContain('loadgate: ÉCHEC');
    expect(md).toContain("### Plan d'actions");
  });

  it('shows the stack resources and containers when sampled', () => {
    const report = seedReport();
    report.stack = {
      command: 'docker compose up -d --wait',
      started: true,
      ready: true,
      logTail: [],
      resources: [
        { second: 1, cpuPercent: 40, rssMb: 120, processes: 3 },
        { second: 2, cpuPercent: 97.5, rssMb: 150.2, processes: 4 },
      ],
      services: [
        {
          service: 'api',
          container: 'shop-api-1',
          state: 'exited',
          exitCode: 137,
          oomKilled: true,
          health: 'unhealthy',
          events: [{ atMs: 9000, action: 'die', exitCode: 137 }],
          samples: [
            { second: 1, cpuPercent: 12, memoryMb: 100 },
            { second: 2, cpuPercent: 187.5, memoryMb: 512 },
          ],
          peakCpuPercent: 187.5,
          peakMemoryMb: 512,
          logTail: ['16:50:02.123 Killed'],
        },
      ],
      compose: { project: 'shop', source: 'the project folder', leftovers: ['volume shop_data'] },
    };
    const md = renderMarkdown(report, { locale: 'en' });
    expect(md).toContain(
      'peak CPU (percent of one core): 97.5% · peak memory (RSS): 150.2 MiB · processes: 4',
    );
    expect(md).toContain('| api | exited, exit 137, OOM-killed | unhealthy | 187.5% | 512 MiB |');
    expect(md).toContain('16:50:02.123 Killed');
    expect(md).toContain('docker compose shop: volume shop_data left by stack.stop and removed');
  });

  it('shows the busiest process and thread, restarts, error kinds and the OpenAPI check, in the locale', () => {
    const report = seedReport();
    report.stack = {
      command: 'uvicorn app:app',
      started: true,
      ready: true,
      logTail: [],
      resources: [
        { second: 1, cpuPercent: 40, rssMb: 120, processes: 3, busiestProcessCpuPercent: 38 },
        {
          second: 2,
          cpuPercent: 120,
          rssMb: 150,
          processes: 4,
          busiestProcessCpuPercent: 99,
          busiestThreadBusyPercent: 100,
        },
      ],
      services: [
        {
          service: 'db',
          container: 'shop-db-1',
          state: 'running',
          restarts: 2,
          events: [],
          samples: [],
          logTail: [],
        },
      ],
    };
    report.openapi = {
      source: 'http://127.0.0.1:8000/openapi.json',
      version: '3.1.0',
      checked: 2,
      mismatches: [],
    };
    const group = report.stages[0]!.endpoints[0]!.errors[0]!;
    group.message = 'ECONNREFUSED';
    group.kind = 'refused';
    const en = renderMarkdown(report, { locale: 'en' });
    expect(en).toContain(
      'busiest process: 99% · busiest main thread on or waiting for a CPU: 100% of the time',
    );
    expect(en).toContain('| db | running, 2 restarts |');
    expect(en).toContain('ECONNREFUSED (connection refused) × 1');
    expect(en).toContain(
      'OpenAPI 3.1.0 (http://127.0.0.1:8000/openapi.json): steps checked 2, mismatches 0',
    );
    const fr = renderMarkdown(report, { locale: 'fr' });
    expect(fr).toContain('processus le plus chargé\u00a0: 99%');
    expect(fr).toContain('| db | running, 2 redémarrages |');
    expect(fr).toContain('ECONNREFUSED (connexion refusée) × 1');
    expect(fr).toContain('étapes vérifiées 2, écarts 0');
    // an HTTP status is said by the message itself
    group.kind = 'status';
    group.message = 'HTTP 422';
    expect(renderMarkdown(report, { locale: 'en' })).toContain('— HTTP 422 × 1');
  });

  it('puts the marker first when given', () => {
    expect(
      renderMarkdown(seedReport(), { locale: 'en', marker: '<!-- loadgate:x -->' }).startsWith(
        '<!-- loadgate:x -->\n',
      ),
    ).toBe(true);
  });
});

describe('markdown safety', () => {
  it('a code block fence is longer than any backtick run inside', () => {
    const block = codeBlock('a ``` b ```` c');
    expect(block.startsWith('`````\n')).toBe(true);
    expect(block.endsWith('\n`````')).toBe(true);
  });
  it('inline text cannot open HTML, break a table or ping anyone', () => {
    expect(inline('<img src=x onerror=alert(1)> | @octocat #12\nnext')).toBe(
      '&lt;img src=x onerror=alert(1)&gt; \\| @\u200doctocat #\u200d12 next',
    );
  });
  it('fitComment drops collapsible sections from the end and says where the full report is', () => {
    const md = `head\n\n<details><summary>a</summary>\n\n${'a'.repeat(50)}\n\n</details>\n\n<details><summary>b</summary>\n\n${'b'.repeat(50)}\n\n</details>`;
    const fitted = fitComment(md, 'see the artifact', 120);
    expect(fitted.length).toBeLessThanOrEqual(120);
    expect(fitted).toContain('head');
    expect(fitted).not.toContain('bbbb');
    expect(fitted).toContain('> see the artifact');
    expect(fitComment('short', 'x')).toBe('short');
  });
});

describe('redaction', () => {
  const redact = createRedactor(['s3cr3t-value', 'abc']);
  it.each([
    ['known secret values', 'password was s3cr3t-value', 'password was [REDACTED]'],
    ['bearer tokens', 'Authorization: Bearer abc.def-123', 'Authorization: Bearer [REDACTED]'],
    [
      'JWTs',
      'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU here',
      'token [REDACTED] here',
    ],
    ['form passwords', 'username=demo&password=hunter2', 'username=demo&password=[REDACTED]'],
    [
      'JSON tokens',
      '{"access_token":"1234abcd","token_type":"bearer"}',
      '{"access_token":"[REDACTED]","token_type":"bearer"}',
    ],
    [
      'no validation error of a password field (Flask-WTF, DRF, Laravel)',
      '{"password":["This field is required."],"username":["This field is required."]}',
      '{"password":["This field is required."],"username":["This field is required."]}',
    ],
  ])('redacts %s', (_what, input, expected) => {
    expect(redact(input)).toBe(expected);
  });
  it.each([
    ['a GitHub expression in our own example', 'API_PASSWORD: ${{ secrets.API_PASSWORD }}'],
    ['a config template', "password: '${env.API_PASSWORD}'"],
    ['a captured variable', 'access_token=${token}'],
  ])('keeps %s (it names a secret, it holds none)', (_what, text) => {
    expect(redact(text)).toBe(text);
  });
  it('ignores secret values too short to be secrets, and walks nested data', () => {
    expect(redact('abc')).toBe('abc');
    expect(redactDeep({ a: ['x s3cr3t-value'], n: 1 }, redact)).toEqual({
      a: ['x [REDACTED]'],
      n: 1,
    });
  });
});

describe('hostile content in the report', () => {
  const hostile =
    '</details><script>alert(1)</script> @org/team #12 ``` ```` eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlX2hlcmU ' +
    'x'.repeat(200_000);

  function hostileReport() {
    const report = seedReport();
    const error = report.stages[0]!.endpoints[0]!.errors[0]!;
    error.sample.response!.body = hostile;
    error.message = 'HTTP 422 <img src=x> @admin';
    return redactDeep(report, createRedactor([]));
  }

  it('keeps HTML, mentions, fences and JWTs from escaping, and stays well-formed GFM', async () => {
    const { marked } = await import('marked');
    const md = renderMarkdown(hostileReport(), { locale: 'en' });
    expect(md).not.toContain('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0');
    expect(md).not.toMatch(/@org\/team|@admin|#12/);
    // outside code blocks, no raw HTML from the content
    const outside = md.replace(/(`{3,})[^\n]*\n[\s\S]*?\n\1/g, '');
    expect(outside).not.toContain('<script>');
    expect(outside).not.toContain('<img');
    const html = await marked.parse(md, { gfm: true });
    expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length);
    expect(html).not.toContain('<script>');
    expect(html.match(/<table>/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('a comment with a 200 KB body is cut to GitHub’s limit without breaking a section', () => {
    const md = renderMarkdown(hostileReport(), {
      locale: 'en',
      marker: '<!-- loadgate:default -->',
    });
    const fitted = fitComment(md, 'see the report artifact');
    expect(fitted.length).toBeLessThanOrEqual(65_536);
    expect(fitted.startsWith('<!-- loadgate:default -->')).toBe(true);
    expect(fitted).toContain('Most probable cause');
    expect(fitted.match(/<details>/g)?.length ?? 0).toBe(fitted.match(/<\/details>/g)?.length ?? 0);
  });
});
