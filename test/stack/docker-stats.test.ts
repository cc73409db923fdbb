import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dockerStats, parseDockerStats, usesDocker } from '../../src/stack/docker-stats.js';

// No Docker engine runs here: a real `docker` executable on PATH stands in for the CLI, so the
// command path (spawn, arguments, parsing, failure) is exercised with a real process.
function fakeDocker(script: string): NodeJS.ProcessEnv {
  const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-docker-'));
  writeFileSync(path.join(dir, 'docker'), `#!/bin/sh\n${script}\n`);
  chmodSync(path.join(dir, 'docker'), 0o755);
  return { PATH: `${dir}:${process.env.PATH}` };
}

describe('docker stats', () => {
  it('runs `docker stats --no-stream` and parses one line per container', async () => {
    const env = fakeDocker(`[ "$*" = "stats --no-stream --format {{json .}}" ] || exit 9
echo '{"Name":"api-1","CPUPerc":"187.5%","MemUsage":"512MiB / 7.6GiB","MemPerc":"6.58%"}'
echo 'WARNING: something docker says'
echo '{"Name":"db-1","CPUPerc":"12.0%","MemUsage":"1.1GiB / 7.6GiB","MemPerc":"14.47%"}'`);
    expect(await dockerStats(env)).toEqual([
      { name: 'api-1', cpuPercent: 187.5, memory: '512MiB / 7.6GiB', memoryPercent: 6.58 },
      { name: 'db-1', cpuPercent: 12, memory: '1.1GiB / 7.6GiB', memoryPercent: 14.47 },
    ]);
  });

  it('gives nothing, without throwing, when docker fails or is absent', async () => {
    expect(
      await dockerStats(fakeDocker('echo "Cannot connect to the Docker daemon" >&2; exit 1')),
    ).toEqual([]);
    expect(await dockerStats({ PATH: '/nonexistent' })).toEqual([]);
    expect(parseDockerStats('not json\n')).toEqual([]);
  });

  it.each([
    ['docker compose up -d --wait', true],
    ['docker-compose up -d', true],
    ['uvicorn app:app', false],
    ['npm start', false],
  ])('usesDocker(%s) is %s', (command, expected) => {
    expect(usesDocker(command)).toBe(expected);
  });
});
