import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/report/redact.js';
import { buildSample } from '../../src/engine/builtin/sample.js';
import { valueScrubber } from '../../src/shared/secrets.js';

describe('one set of redaction rules for the samples and the report', () => {
  it('replaces known values longest first, and leaves values under 4 characters', () => {
    const scrub = valueScrubber(['hunter2', 'hunter2-admin', 'pw', 'hunter2']);
    expect(scrub.values).toEqual(['hunter2-admin', 'hunter2']);
    expect(scrub('user=hunter2-admin&pw=hunter2 pw')).toBe('user=[REDACTED]&pw=[REDACTED] pw');
  });

  it('a failure sample and the report redact a known value the same way', () => {
    const secret = 'S3cret-value';
    const sample = buildSample(
      { method: 'GET', origin: 'http://127.0.0.1:1', path: `/x?k=${secret}`, headers: {} },
      undefined,
      [secret],
    );
    expect(sample.request.url).toBe('http://127.0.0.1:1/x?k=[REDACTED]');
    expect(createRedactor([secret])(`/x?k=${secret}`)).toBe('/x?k=[REDACTED]');
  });
});
