import { execFile } from 'node:child_process';
import type { ContainerStats } from '../model/stack-evidence.js';

/**
 * `docker stats --no-stream` for compose stacks, when a docker CLI is on PATH: one line of CPU
 * and memory per container, as evidence next to the process-group samples (which cannot see
 * inside containers). Resolves [] when docker is absent or fails; never throws.
 */
export function dockerStats(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 10_000,
): Promise<ContainerStats[]> {
  return new Promise((resolve) => {
    execFile(
      'docker',
      ['stats', '--no-stream', '--format', '{{json .}}'],
      { env, timeout: timeoutMs },
      (error, stdout) => {
        if (error) return resolve([]);
        resolve(parseDockerStats(stdout));
      },
    );
  });
}

export function parseDockerStats(text: string): ContainerStats[] {
  const stats: ContainerStats[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const row = JSON.parse(line) as Record<string, string>;
      stats.push({
        name: row.Name ?? row.Container ?? '?',
        cpuPercent: Number.parseFloat(row.CPUPerc ?? '0') || 0,
        memory: row.MemUsage ?? '',
        memoryPercent: Number.parseFloat(row.MemPerc ?? '0') || 0,
      });
    } catch {
      // not a JSON line (a warning): skip it
    }
  }
  return stats;
}

/** Whether a start command runs containers (docker compose, docker run). */
export function usesDocker(command: string): boolean {
  return /\bdocker(-compose)?\b/.test(command);
}
