import { spawn as nodeSpawn, type SpawnOptions, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { ReadyProbe, StackConfig } from '../config/schema.js';
import type { ReadyCheckFact, StackErrorFact } from '../model/stack-evidence.js';
import { livePidsInGroup, signalGroup } from './process-group.js';
import { readLogTail } from './log-tail.js';
import { probeOnce } from './readiness.js';
import { companionLog, removeCompanionLogs } from './stack-log-files.js';

export type Spawn = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

export interface StackExit {
  code: number | null;
  signal: string | null;
  /** Milliseconds after start. */
  atMs: number;
}

/** A started stack: the process group of its start command and where its output goes. */
export interface RunningStack {
  pgid: number;
  logPath: string;
  startedAt: number;
  /** Set as soon as the start command exits by itself. */
  exit: StackExit | undefined;
  /** Resolves when the start command exits (by itself or at teardown). */
  exited: Promise<StackExit>;
  /** True once teardown began: an exit after that is not a crash. */
  stopping: boolean;
}

export interface StackRuntime {
  spawn?: Spawn;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  env?: Record<string, string | undefined>;
  /** Stops waiting for readiness (SIGTERM, max-duration). */
  signal?: AbortSignal;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Starts `stack.start` with `sh -c` in its own process group (detached), its stdout and stderr
 * written straight to `logPath` (so a chatty stack never blocks on a full pipe).
 */
export function startStack(
  config: StackConfig,
  options: { baseDir: string; logPath: string } & StackRuntime,
): Promise<RunningStack> {
  const spawn = options.spawn ?? nodeSpawn;
  const now = options.now ?? Date.now;
  mkdirSync(path.dirname(options.logPath), { recursive: true });
  removeCompanionLogs(options.logPath);
  const fd = openSync(options.logPath, 'w');
  const cwd = path.resolve(options.baseDir, config.cwd ?? '.');
  if (!existsSync(cwd)) {
    closeSync(fd);
    return Promise.reject(new Error(`stack.cwd: folder ${cwd} does not exist`));
  }
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn('/bin/sh', ['-c', config.start], {
        cwd,
        env: { ...(options.env ?? process.env), ...config.env },
        detached: true,
        stdio: ['ignore', fd, fd],
      });
    } catch (error) {
      closeSync(fd);
      reject(error);
      return;
    }
    closeSync(fd);
    const startedAt = now();
    let resolveExit: (exit: StackExit) => void = () => {};
    const stack: RunningStack = {
      pgid: child.pid ?? 0,
      logPath: options.logPath,
      startedAt,
      exit: undefined,
      exited: new Promise((r) => (resolveExit = r)),
      stopping: false,
    };
    child.once('error', (error) =>
      reject(
        new Error(`stack.start: cannot start \`${config.start}\` in ${cwd}: ${error.message}`),
      ),
    );
    child.once('exit', (code, signal) => {
      const exit = { code, signal, atMs: now() - startedAt };
      if (!stack.stopping) stack.exit = exit;
      resolveExit(exit);
    });
    child.once('spawn', () => resolve(stack));
  });
}

export type ReadyOutcome =
  { ready: true; afterMs: number } | { ready: false; fact: StackErrorFact };

/** What "ready" means: a probe that answers, a line in the log, or both. */
export interface ReadyCheck {
  probe?: ReadyProbe;
  /** A regular expression that must match the stack's log (`stack.ready-log`). */
  logPattern?: string;
}

/** Polls until every part of the check holds, the start command exits, or `timeoutMs` passes. */
export async function waitUntilReady(
  stack: RunningStack,
  check: ReadyCheck,
  timeoutMs: number,
  runtime: StackRuntime = {},
): Promise<ReadyOutcome> {
  const now = runtime.now ?? Date.now;
  const sleep = runtime.sleep ?? defaultSleep;
  const deadline = stack.startedAt + timeoutMs;
  const pattern = check.logPattern === undefined ? undefined : new RegExp(check.logPattern, 'm');
  let logSeen = pattern === undefined;
  let delay = 100;
  let last: ReadyCheckFact = { kind: 'none' };
  for (;;) {
    if (runtime.signal?.aborted) {
      const why = String((runtime.signal.reason as Error)?.message ?? runtime.signal.reason);
      return { ready: false, fact: { kind: 'stopped', why } };
    }
    // exit code 0 is a detached start (`docker compose up -d`): readiness decides the rest
    if (stack.exit && stack.exit.code !== 0) {
      const { code, signal } = stack.exit;
      return { ready: false, fact: { kind: 'exited', code, signal } };
    }
    if (!logSeen && check.logPattern !== undefined && pattern) {
      logSeen = pattern.test(readLogTail(stack.logPath, 400).join('\n'));
      if (!logSeen) last = { kind: 'log-pattern', pattern: check.logPattern };
    }
    if (logSeen) {
      const outcome = check.probe
        ? await probeOnce(check.probe, Math.min(2000, Math.max(100, deadline - now())))
        : ({ ready: true } as const);
      if (outcome.ready) return { ready: true, afterMs: now() - stack.startedAt };
      last = outcome.check;
    }
    const remaining = deadline - now();
    if (remaining <= 0) {
      return {
        ready: false,
        fact: { kind: 'not-ready', timeoutMs, detached: stack.exit !== undefined, lastCheck: last },
      };
    }
    const wait = sleep(Math.min(delay, remaining));
    await (stack.exit ? wait : Promise.race([wait, stack.exited]));
    delay = Math.min(1000, Math.round(delay * 1.5));
  }
}

/** Where teardown writes: apart from the stack log, never read as evidence of the run. */
export function teardownLogPath(stack: Pick<RunningStack, 'logPath'>): string {
  return companionLog(stack.logPath, 'teardown');
}

/** Where the output of `stack.logs` goes (the start command may still write the stack log). */
export function collectedLogPath(stack: Pick<RunningStack, 'logPath'>): string {
  return companionLog(stack.logPath, 'collected');
}

/**
 * Stops the stack: `stack.logs` is collected first (when set), then `stack.stop` runs (when
 * set), both with `stack.env`, then TERM to the whole process group, then KILL after `graceMs`.
 * Children and grandchildren are included: they share the group.
 */
export async function stopStack(
  stack: RunningStack,
  config: StackConfig,
  options: { baseDir: string; graceMs?: number } & StackRuntime,
): Promise<void> {
  stack.stopping = true;
  const cwd = path.resolve(options.baseDir, config.cwd ?? '.');
  const runtime = { ...options, cwd, env: { ...(options.env ?? process.env), ...config.env } };
  if (config.logs) await runCommand(config.logs, collectedLogPath(stack), runtime, 'w');
  if (config.stop) await runCommand(config.stop, teardownLogPath(stack), runtime, 'a');
  await killGroup(stack.pgid, options.graceMs ?? 5000, options.sleep ?? defaultSleep);
}

/** TERM, wait up to `graceMs` for the group to be gone, then KILL. */
export async function killGroup(
  pgid: number,
  graceMs: number,
  sleep: (ms: number) => Promise<void> = defaultSleep,
): Promise<void> {
  if (pgid <= 0 || livePidsInGroup(pgid).length === 0) return;
  signalGroup(pgid, 'SIGTERM');
  for (let waited = 0; waited < graceMs; waited += 50) {
    if (livePidsInGroup(pgid).length === 0) return;
    await sleep(50);
  }
  signalGroup(pgid, 'SIGKILL');
  for (let waited = 0; waited < 2000; waited += 50) {
    if (livePidsInGroup(pgid).length === 0) return;
    await sleep(50);
  }
}

/** Runs a helper command (stop, logs) in its own group, output to the log, killed after 60 s. */
async function runCommand(
  command: string,
  logPath: string,
  runtime: StackRuntime & { cwd: string },
  mode: 'w' | 'a',
): Promise<void> {
  const spawn = runtime.spawn ?? nodeSpawn;
  const fd = openSync(logPath, mode);
  writeSync(fd, `[loadgate] $ ${command}\n`);
  try {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: runtime.cwd,
      env: runtime.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (child.pid) signalGroup(child.pid, 'SIGKILL');
      }, 60_000);
      child.once('error', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (child.pid) await killGroup(child.pid, 1000);
  } finally {
    closeSync(fd);
  }
}
