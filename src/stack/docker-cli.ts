import { execFile, spawn, type ChildProcess } from 'node:child_process';
import type { ComposeProblemFact } from '../model/stack-evidence.js';

export interface DockerResult {
  /** null when docker could not be run at all (not installed). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the docker CLI; never throws (a missing docker is `code: null`). */
export type Docker = (args: string[], timeoutMs?: number) => Promise<DockerResult>;

/** Streams a long-running docker command (events, stats) line by line. */
export type DockerStream = (args: string[], onLine: (line: string) => void) => ChildProcess;

export function dockerCli(env: Record<string, string | undefined>): {
  run: Docker;
  stream: DockerStream;
} {
  return {
    run: (args, timeoutMs = 30_000) =>
      new Promise((resolve) => {
        execFile(
          'docker',
          args,
          { env, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
          (error, stdout, stderr) => {
            const code =
              error === null
                ? 0
                : typeof (error as { code?: unknown }).code === 'number'
                  ? ((error as { code: number }).code as number)
                  : error.killed
                    ? 124
                    : null;
            resolve({
              code,
              stdout: String(stdout),
              stderr: String(stderr || error?.message || ''),
            });
          },
        );
      }),
    stream: (args, onLine) => {
      const child = spawn('docker', args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
      let pending = '';
      child.stdout?.setEncoding('utf8');
      child.stdout?.on('data', (chunk: string) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) onLine(line);
      });
      child.on('error', () => {}); // no docker: the caller sees no line
      return child;
    },
  };
}

/** Why docker cannot be used, from a failed docker command (the report words it). */
export function dockerProblem(result: DockerResult): ComposeProblemFact {
  if (result.code === null) return { kind: 'no-cli' };
  const text = result.stderr.trim() || result.stdout.trim();
  if (/Cannot connect to the Docker daemon|Is the docker daemon running|docker\.sock/i.test(text))
    return { kind: 'daemon-down', output: firstLine(text) };
  return { kind: 'docker-failed', code: result.code, output: firstLine(text) };
}

/** True when the problem is docker itself (not the project): nothing can be asked of it. */
export function dockerUnusable(problem: ComposeProblemFact | undefined): boolean {
  return problem !== undefined && problem.kind !== 'no-labelled-container';
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? ''
  );
}
