import { describe, expect, it } from 'vitest';
import { PHRASES, saysAny } from '../../src/diagnose/response-phrases.js';
import { refusalCause, sentRequest, type Refusal } from '../../src/diagnose/refusal.js';
import { whatTheResponseSays } from '../../src/diagnose/response-says.js';
import type { EndpointView } from '../../src/diagnose/context.js';
import { refusedEndpoint, stage } from '../support/run-result.js';
import { expectedOf } from '../zoo/matrix.js';
import { zooSamples, type ZooSample } from '../zoo/samples.js';

/**
 * The classifier against what real frameworks answered (test/fixtures/zoo-samples, captured
 * from the zoo by `npm run zoo:capture`): each refusal is read as the cause the matrix expects
 * of its cell. Adding a framework is adding its app and samples, not a rule.
 */

/** The cause a finding stands for. */
const CAUSE_OF: Record<string, string> = {
  'auth.invalid-credentials': 'credentials',
  'request.fields-missing': 'fields-missing',
  'openapi.fields-missing': 'fields-missing',
  'auth.request-format': 'media-type',
  'openapi.media-type': 'media-type',
  'auth.token-rejected': 'token',
  'openapi.security-missing': 'token',
  'request.csrf': 'csrf',
  'request.rejected': 'unexplained',
};

/** The sample as the diagnosis sees an endpoint with no scenario step (a locustfile's). */
function viewOf(sample: ZooSample): EndpointView {
  const stats = refusedEndpoint(sample.endpoint ?? '?', sample.response?.status ?? 0, {
    request: sample.request!,
    ...(sample.response ? { response: sample.response } : {}),
  });
  return { stage: stage('smoke', [stats]), stats, setup: false, loadOnly: false };
}

const cells = zooSamples().flatMap((file) =>
  file.samples.map((sample) => ({ app: file.app, fault: sample.fault, sample })),
);

describe('the zoo’s refusals, read as the matrix expects', () => {
  it('holds a sample of every app and fault', () => {
    expect(cells.length).toBeGreaterThanOrEqual(9 * 13);
  });

  const refusals = cells.filter(({ app, fault, sample }) => {
    const expected = expectedOf(app, fault);
    const status = sample.response?.status ?? 0;
    return 'finding' in expected && CAUSE_OF[expected.finding] && status >= 400 && status < 500;
  });

  it.each(refusals.map((c) => [`${c.app} ${c.fault}`, c] as const))(
    '%s',
    (_name, { app, fault, sample }) => {
      const expected = expectedOf(app, fault);
      if (!('finding' in expected)) throw new Error('not a refusal');
      const { response } = sample;
      const says = whatTheResponseSays(response!.status, response!.body, response!.headers);
      expect(says).toBeDefined();
      const refusal: Refusal = {
        status: response!.status,
        body: response!.body,
        headers: response!.headers,
        says: says!,
      };
      const v = viewOf(sample);
      const logLine = sample.log.find((line) => saysAny(line, PHRASES.csrf));
      const cause = refusalCause(refusal, sentRequest(v, refusal), logLine);
      // where the answer says nothing (an empty 400), the probe found the cause: not read here
      expect(cause.kind).toBe(expected.probeOnly ? 'unexplained' : CAUSE_OF[expected.finding]);
    },
  );
});
