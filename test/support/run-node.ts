import { spawn } from 'node:child_process';

export interface NodeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env: Record<string, string | undefined>;
  cwd: string;
  timeoutMs?: number;
}

/** Runs a script with a given node binary, as a runner or a terminal would; never throws. */
export function runNode(
  script: string,
  args: string[],
  options: RunOptions & { node?: string },
): Promise<NodeRun> {
  return runProcess(options.node ?? process.execPath, [script, ...args], options);
}

/** Runs a program with its output piped and collected; killed after the timeout; never throws. */
export function runProcess(file: string, args: string[], options: RunOptions): Promise<NodeRun> {
  return new Promise((resolve) => {
    const child = spawn(file, args, {
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

/**
 * Runs a node script in a pseudo-terminal (util-linux `script`), so its stdout and stderr are a
 * TTY as in a user's terminal. What it printed on both comes back as `stdout`, with `\n` line
 * ends; the exit code is the script's.
 */
export async function runNodeInTerminal(
  script: string,
  args: string[],
  options: RunOptions,
): Promise<NodeRun> {
  const quote = (word: string) => `'${word.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, script, ...args].map(quote).join(' ');
  const run = await runProcess('script', ['-qec', command, '/dev/null'], options);
  return { ...run, stdout: run.stdout.replace(/\r\n/g, '\n') };
}
