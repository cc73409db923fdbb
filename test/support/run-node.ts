import { spawn } from 'node:child_process';

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a script with a given node binary, as a runner or a terminal would; never throws. */
export function runNode(
  script: string,
  args: string[],
  options: {
    env: Record<string, string | undefined>;
    cwd: string;
    node?: string;
    timeoutMs?: number;
  },
): Promise<NodeRun> {
  return new Promise((resolve) => {
    const child = spawn(options.node ?? process.execPath, [script, ...args], {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
