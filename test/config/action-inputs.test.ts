import { describe, expect, it } from 'vitest';
import { readActionInputs } from '../../src/config/action-inputs.js';
import { ConfigError } from '../../src/shared/errors.js';

const read = (inputs: Record<string, string | undefined>) =>
  readActionInputs((name) => inputs[name] ?? '');

describe('readActionInputs', () => {
  it('applies defaults when inputs are empty', () => {
    expect(read({})).toEqual({
      mode: 'run',
      artifactName: 'loadgate-report',
      uploadReport: true,
      configPath: 'loadgate.yml',
      githubToken: '',
      comment: 'always',
      commentKey: 'default',
      failOn: 'fail',
      reportPath: 'loadgate-report.json',
      overrides: [],
    });
  });

  it.each([
    {
      what: 'users is a number',
      inputs: { users: '20' },
      key: ['stages', 'ramp', 'users'],
      value: 20,
    },
    {
      what: 'non-numeric users stays text for the schema to reject',
      inputs: { users: 'lots' },
      key: ['stages', 'ramp', 'users'],
      value: 'lots',
    },
    {
      what: 'duration stays text',
      inputs: { duration: '30s' },
      key: ['stages', 'ramp', 'duration'],
      value: '30s',
    },
    { what: 'p95', inputs: { p95: '< 200ms' }, key: ['thresholds', 'p95'], value: '< 200ms' },
    { what: 'target', inputs: { target: ' http://x ' }, key: ['target'], value: 'http://x' },
    {
      what: 'spawn rate',
      inputs: { 'spawn-rate': '2.5' },
      key: ['stages', 'ramp', 'spawn-rate'],
      value: 2.5,
    },
  ])('override: $what', ({ inputs, key, value }) => {
    expect(read(inputs).overrides).toEqual([
      { key, value, source: expect.stringContaining('input `') },
    ]);
  });

  it.each([
    {
      inputs: { comment: 'sometimes' },
      message: 'input `comment`: got "sometimes", expected one of off, on-failure, always',
    },
    {
      inputs: { 'fail-on': 'warn' },
      message: 'input `fail-on`: got "warn", expected one of fail, inconclusive, never',
    },
    { inputs: { 'comment-key': 'a b' }, message: 'input `comment-key`: expected letters, digits' },
    {
      inputs: { 'upload-report': 'yes' },
      message: 'input `upload-report`: got "yes", expected one of true, false',
    },
    { inputs: { locale: 'de' }, message: 'input `locale`: got "de", expected one of en, fr' },
    {
      inputs: { mode: 'post' },
      message: 'input `mode`: got "post", expected one of run, report',
    },
    {
      inputs: { 'artifact-name': 'reports/loadgate' },
      message: 'input `artifact-name`: an artifact name cannot contain',
    },
  ])('rejects $inputs with a message that starts with the input name', ({ inputs, message }) => {
    expect(() => read(inputs)).toThrow(ConfigError);
    expect(() => read(inputs)).toThrow(message);
  });
});
