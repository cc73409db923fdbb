import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema } from '../../src/config/json-schema.js';

describe('the JSON Schema for editors', () => {
  it('is generated from the zod schema and committed current (npm run docs)', () => {
    const committed = JSON.parse(readFileSync('loadgate.schema.json', 'utf8'));
    expect(committed).toEqual(configJsonSchema());
  });

  it('accepts the demo config and rejects an unknown key', () => {
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(configJsonSchema());
    expect(validate(parse(readFileSync('examples/demo/loadgate.yml', 'utf8')))).toBe(true);
    expect(
      validate({ target: 'http://x', scenario: { tasks: [{ request: { url: '/' } }] }, stak: {} }),
    ).toBe(false);
  });
});
