import { execFileSync, spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './demo-stack.js';

/** The image of the compose example, built from Debian's packages (scripts/build-stack-image.sh). */
export const STACK_IMAGE = 'loadgate-stack:latest';

function dockerWorks(): boolean {
  try {
    execFileSync('docker', ['info', '--format', '{{.ServerVersion}}'], {
      stdio: 'ignore',
      timeout: 20_000,
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * A running Docker engine: the machine's, or one started here as the tests need it
 * (`dockerd --bridge=none --iptables=false`: containers use the host's network, loopback only).
 */
export async function ensureDocker(): Promise<void> {
  if (dockerWorks()) return;
  const dockerd = ['/usr/sbin/dockerd', '/usr/bin/dockerd'].find((p) => existsSync(p));
  if (!dockerd)
    throw new Error('dockerd is not installed: apt-get install docker.io docker-compose');
  const log = openSync('/tmp/loadgate-test-dockerd.log', 'a');
  const daemon = spawn(dockerd, ['--bridge=none', '--iptables=false'], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  daemon.unref();
  for (let i = 0; i < 120; i++) {
    if (dockerWorks()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('dockerd did not come up in 60 s: see /tmp/loadgate-test-dockerd.log');
}

/** Builds the stack image once (cached by Docker under a tag of its package list). */
export function ensureStackImage(): void {
  execFileSync('bash', [path.join(ROOT, 'scripts', 'build-stack-image.sh'), 'loadgate-stack'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 600_000,
  });
}

/** Containers, networks and volumes that carry the project's label (what must be gone). */
export function projectResources(project: string): string[] {
  const filter = ['--filter', `label=com.docker.compose.project=${project}`];
  const run = (args: string[]) =>
    execFileSync('docker', [...args, ...filter], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  return [
    ...run(['ps', '-a', '-q']).map((id) => `container ${id}`),
    ...run(['network', 'ls', '-q']).map((id) => `network ${id}`),
    ...run(['volume', 'ls', '-q']).map((id) => `volume ${id}`),
  ];
}

/** The compose command of this machine: v2 (`docker compose`) when it is there, else v1. */
export function composeCommands(): string[] {
  const found: string[] = [];
  try {
    execFileSync('docker', ['compose', 'version'], { stdio: 'ignore' });
    found.push('docker compose');
  } catch {
    // no v2 plugin
  }
  try {
    execFileSync('docker-compose', ['version'], { stdio: 'ignore' });
    found.push('docker-compose');
  } catch {
    // no v1
  }
  return found;
}
