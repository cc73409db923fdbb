import { describe, expect, it } from 'vitest';
import { dockerProblem, dockerUnusable } from '../../src/stack/docker-cli.js';

describe('why docker cannot be used, as facts', () => {
  it.each([
    [{ code: null, stdout: '', stderr: '' }, { kind: 'no-cli' }],
    [
      {
        code: 1,
        stdout: '',
        stderr:
          '\nCannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
      },
      {
        kind: 'daemon-down',
        output:
          'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      },
    ],
    [
      { code: 125, stdout: 'unknown flag: --format\nSee docker --help', stderr: '' },
      { kind: 'docker-failed', code: 125, output: 'unknown flag: --format' },
    ],
  ])('%o → %o', (result, fact) => {
    expect(dockerProblem(result)).toEqual(fact);
    // docker itself is the problem: nothing (leftovers) can be asked of it
    expect(dockerUnusable(dockerProblem(result))).toBe(true);
  });

  it('a project without a labelled container leaves docker usable', () => {
    expect(
      dockerUnusable({ kind: 'no-labelled-container', label: 'com.docker.compose.project=shop' }),
    ).toBe(false);
    expect(dockerUnusable(undefined)).toBe(false);
  });
});
