import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ContainerCrash } from '../../src/model/stack-evidence.js';
import { ContainerWatch } from '../../src/stack/container-watch.js';
import type { Docker, DockerStream } from '../../src/stack/docker-cli.js';

const ID = 'c0ffee'.padEnd(64, '0');

/** `docker inspect` of the app's container, as Docker writes it. */
function inspect(state: { Running: boolean; OOMKilled: boolean; ExitCode: number }): string {
  return JSON.stringify([
    {
      Id: ID,
      Name: '/shop-app-1',
      RestartCount: 0,
      State: { Status: state.Running ? 'running' : 'exited', ...state },
      Config: { Labels: { 'com.docker.compose.service': 'app' } },
    },
  ]);
}

/** A docker whose answers the test sets, and whose event stream the test writes. */
function fakeDocker() {
  const streams: Record<string, (line: string) => void> = {};
  const docker = {
    state: { Running: true, OOMKilled: false, ExitCode: 0 },
    run: (async (args: string[]) => {
      if (args[0] === 'ps') return { code: 0, stdout: `${ID}\n`, stderr: '' };
      if (args[0] === 'inspect') return { code: 0, stdout: inspect(docker.state), stderr: '' };
      return { code: 1, stdout: '', stderr: 'not faked' };
    }) as Docker,
    stream: ((args: string[], onLine: (line: string) => void) => {
      streams[args[0] as string] = onLine;
      return { kill: () => true } as unknown as ChildProcess;
    }) as DockerStream,
    event(action: string, attributes: Record<string, string> = {}) {
      streams.events?.(
        JSON.stringify({
          Type: 'container',
          Action: action,
          Actor: { ID, Attributes: { 'com.docker.compose.service': 'app', ...attributes } },
          timeNano: Date.now() * 1_000_000,
        }),
      );
    },
  };
  return docker;
}

describe('a container that dies during the run', () => {
  it('is OOM-killed when docker inspect says so, even if the `oom` event came after `die`', async () => {
    const docker = fakeDocker();
    const watch = new ContainerWatch({
      project: 'shop',
      docker,
      env: { PATH: '/nonexistent' }, // `docker logs` cannot run: no log is kept
      startedAt: Date.now() - 5000,
    });
    const crashes: ContainerCrash[] = [];
    expect(await watch.attach((crash) => crashes.push({ ...crash }))).toBeUndefined();
    docker.event('die', { exitCode: '137' });
    // at the moment it died, nothing said why
    expect(crashes).toMatchObject([{ service: 'app', kind: 'exited', exitCode: 137 }]);
    docker.state = { Running: false, OOMKilled: true, ExitCode: 137 };
    docker.event('oom');
    const dir = mkdtempSync(path.join(tmpdir(), 'lg-watch-'));
    const services = await watch.collect(path.join(dir, 'stack.log'), Date.now());
    expect(services[0]).toMatchObject({ service: 'app', oomKilled: true, exitCode: 137 });
    expect(watch.crash).toMatchObject({ kind: 'oom-killed', oomKilled: true });
  });

  it('an exit that was not the kernel’s stays an exit', async () => {
    const docker = fakeDocker();
    const watch = new ContainerWatch({
      project: 'shop',
      docker,
      env: { PATH: '/nonexistent' },
      startedAt: Date.now() - 5000,
    });
    await watch.attach(() => {});
    docker.event('die', { exitCode: '3' });
    docker.state = { Running: false, OOMKilled: false, ExitCode: 3 };
    const dir = mkdtempSync(path.join(tmpdir(), 'lg-watch-'));
    await watch.collect(path.join(dir, 'stack.log'), Date.now());
    expect(watch.crash).toMatchObject({ kind: 'exited', oomKilled: false, exitCode: 3 });
  });
});
