import { errorMessage } from '../shared/errors.js';
import type { Baseline } from '../gate/evaluate-gate.js';
import { parseBaseline } from '../pipeline/load-baseline.js';
import { downloadArtifactJson, listRunArtifacts, type RepoRef } from './artifacts.js';
import type { Octokit } from './octokit.js';

export interface BaselineLookup extends RepoRef {
  /** The PR's base commit (`pull_request.base.sha`): its own report is the right baseline. */
  baseSha: string;
  /** Where to fall back to: the newest successful push run of this branch. */
  defaultBranch?: string;
  /** The artifact that holds the JSON report (the workflow's upload-artifact `name`). */
  artifactName: string;
  /** How many runs to look into, per query, before giving up. */
  maxRuns?: number;
}

/** A baseline, or why there is none (a notice: no baseline never blocks a PR). */
export type BaselineLookupResult =
  { baseline: Baseline; notice?: undefined } | { baseline?: undefined; notice: string };

const short = (sha: string) => sha.slice(0, 7);

/**
 * The baseline of a PR: the JSON report that a successful push run of the base commit uploaded,
 * else the newest successful push run of the default branch that has one (with a note naming
 * the commit compared with). API errors (403 without `actions: read`, 404) become a notice.
 */
export async function findBaselineArtifact(
  octokit: Octokit,
  lookup: BaselineLookup,
): Promise<BaselineLookupResult> {
  const { artifactName } = lookup;
  const repo = { owner: lookup.owner, repo: lookup.repo };
  const maxRuns = lookup.maxRuns ?? 10;
  try {
    const own = await firstRunWithArtifact(
      octokit,
      repo,
      // push runs only: a fork's PR whose head is this very commit also runs on it, and
      // must not be able to plant the baseline
      { head_sha: lookup.baseSha, event: 'push', status: 'success' },
      artifactName,
      maxRuns,
    );
    if (own) {
      return { baseline: await download(own.runId, own.artifactId, lookup.baseSha) };
    }
    if (lookup.defaultBranch) {
      const newest = await firstRunWithArtifact(
        octokit,
        repo,
        { branch: lookup.defaultBranch, event: 'push', status: 'success' },
        artifactName,
        maxRuns,
      );
      if (newest) {
        const baseline = await download(newest.runId, newest.artifactId, newest.headSha);
        return {
          baseline: {
            ...baseline,
            substitute: {
              baseCommit: lookup.baseSha,
              artifact: artifactName,
              branch: lookup.defaultBranch,
            },
          },
        };
      }
    }
    return {
      notice: `no baseline: no successful run of the base commit ${short(lookup.baseSha)}${lookup.defaultBranch ? ` nor of ${lookup.defaultBranch}` : ''} uploaded an artifact named \`${artifactName}\`, so regressions were not checked (run loadgate on pushes to ${lookup.defaultBranch ?? 'the default branch'}: it uploads its report as that artifact)`,
    };
  } catch (error) {
    const status = (error as { status?: number }).status;
    const hint =
      status === 403
        ? ' (the token needs `actions: read`)'
        : status === 404
          ? ' (not found: a private repository needs `actions: read`)'
          : '';
    return {
      notice: `no baseline: looking for the \`${artifactName}\` artifact failed${hint}: ${errorMessage(error)}; regressions were not checked`,
    };
  }

  async function download(runId: number, artifactId: number, sha: string): Promise<Baseline> {
    const { fileName, text } = await downloadArtifactJson(octokit, repo, artifactId);
    const source = `artifact ${artifactName} of run ${runId}`;
    try {
      const baseline = parseBaseline(text, source);
      return { ...baseline, commit: baseline.commit ?? sha };
    } catch (error) {
      throw new Error(`${fileName} in ${source} ${errorMessage(error)}`);
    }
  }
}

async function firstRunWithArtifact(
  octokit: Octokit,
  repo: RepoRef,
  filter: { head_sha?: string; branch?: string; event?: string; status: 'success' },
  artifactName: string,
  maxRuns: number,
): Promise<{ runId: number; artifactId: number; headSha: string } | undefined> {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/runs', {
    ...repo,
    ...filter,
    per_page: maxRuns,
    exclude_pull_requests: true,
  });
  // newest first, as GitHub lists them; several workflows may have run on the same commit
  for (const run of data.workflow_runs.slice(0, maxRuns)) {
    const runId = Number(run.id);
    const [artifact] = await listRunArtifacts(octokit, repo, runId, artifactName);
    if (artifact) return { runId, artifactId: artifact.id, headSha: run.head_sha };
  }
  return undefined;
}
