import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

function git(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`git ${args.join(' ')}: ${(stderr || error.message).trim()}`));
        else resolve(stdout.trim());
      },
    );
  });
}

export function repositoryRoot(dir: string): Promise<string> {
  return git(['rev-parse', '--show-toplevel'], dir);
}

export function mergeBase(repo: string, ref: string): Promise<string> {
  return git(['merge-base', 'HEAD', ref], repo);
}

/** Checks `sha` out into a new temporary worktree; the caller removes it. */
export async function addWorktree(repo: string, sha: string): Promise<string> {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'loadgate-base-')), 'tree');
  await git(['worktree', 'add', '--detach', dir, sha], repo);
  return dir;
}

export async function removeWorktree(repo: string, dir: string): Promise<void> {
  await git(['worktree', 'remove', '--force', dir], repo).catch(() =>
    git(['worktree', 'prune'], repo),
  );
}
