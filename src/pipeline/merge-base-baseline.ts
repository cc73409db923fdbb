import path from 'node:path';
import { ConfigError, errorMessage } from '../shared/errors.js';
import type { Baseline } from '../gate/evaluate-gate.js';
import type { Logger } from '../shared/logger.js';
import type { StackRunOutcome } from './run-on-stack.js';
import { addWorktree, mergeBase, removeWorktree, repositoryRoot } from './git-worktree.js';

/**
 * Same-runner A/B (`baseline: merge-base`): checks the merge-base of HEAD and the base branch
 * out into a git worktree, boots that stack and runs the same stages on this runner, so the
 * comparison carries no cross-runner noise. A baseline run that fails is a warning: the gate
 * then checks thresholds only.
 */
export async function mergeBaseBaseline(
  mode: { ref: string | undefined },
  options: {
    configPath: string;
    env: Record<string, string | undefined>;
    run: (baseDir: string, logPath: string) => Promise<StackRunOutcome>;
    logPath: string;
    logger: Logger;
  },
): Promise<Baseline | undefined> {
  const configDir = path.dirname(options.configPath);
  const ref =
    mode.ref ??
    (options.env.GITHUB_BASE_REF ? `origin/${options.env.GITHUB_BASE_REF}` : 'origin/main');
  let repo: string;
  let sha: string;
  try {
    repo = await repositoryRoot(configDir);
    sha = await mergeBase(repo, ref);
  } catch (error) {
    throw new ConfigError(
      `\`baseline-ref\`: cannot find the merge-base of HEAD and ${ref} (${errorMessage(error)}); set \`baseline-ref\` to a branch or commit that exists, and check out with \`fetch-depth: 0\``,
    );
  }
  const worktree = await addWorktree(repo, sha);
  try {
    options.logger.info(
      `baseline: merge-base ${sha.slice(0, 7)} of HEAD and ${ref}, checked out in ${worktree}`,
    );
    const outcome = await options.run(
      path.join(worktree, path.relative(repo, configDir)),
      options.logPath,
    );
    if (!outcome.result || outcome.error) {
      options.logger.warning(
        `the baseline run at ${sha.slice(0, 7)} did not complete (${outcome.error ?? 'no result'}): regressions are not checked`,
      );
      return undefined;
    }
    return { stages: outcome.result.stages, commit: sha, source: `merge-base with ${ref}` };
  } finally {
    await removeWorktree(repo, worktree);
  }
}
