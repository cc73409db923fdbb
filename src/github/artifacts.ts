import { unzipSync } from 'fflate';
import { errorMessage } from '../shared/errors.js';
import { SERVER_ERROR_RETRIES, serverErrorRetryDelayMs, type Octokit } from './octokit.js';

/** A workflow run's artifact, as much of it as loadgate needs. */
export interface ArtifactRef {
  id: number;
  name: string;
  runId: number;
  /** The commit the run was for (`workflow_run.head_sha`). */
  headSha: string;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

/** A zip or a JSON file bigger than this is not a loadgate report: it is not read. */
export const MAX_ARTIFACT_BYTES = 50 * 1024 * 1024;

/** The run's unexpired artifacts called `name` (GitHub keeps them 90 days by default). */
export async function listRunArtifacts(
  octokit: Octokit,
  repo: RepoRef,
  runId: number,
  name: string,
): Promise<ArtifactRef[]> {
  const { data } = await octokit.request(
    'GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts',
    { ...repo, run_id: runId, name, per_page: 100 },
  );
  return data.artifacts
    .filter((a) => a.name === name && !a.expired)
    .map((a) => ({
      id: a.id,
      name: a.name,
      runId: a.workflow_run?.id ?? runId,
      headSha: a.workflow_run?.head_sha ?? '',
    }));
}

/**
 * Downloads an artifact's zip and returns its JSON file. GitHub answers the download with a
 * 302 to a signed storage URL, which must be fetched without the token (the storage refuses
 * an Authorization header, and the token must not travel to another host anyway).
 */
export async function downloadArtifactJson(
  octokit: Octokit,
  repo: RepoRef,
  artifactId: number,
): Promise<{ fileName: string; text: string }> {
  const response = await octokit.request(
    'GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}',
    { ...repo, artifact_id: artifactId, archive_format: 'zip', request: { redirect: 'manual' } },
  );
  const location = (response.headers as Record<string, string | undefined>).location;
  if (!location) throw new Error(`artifact ${artifactId}: GitHub gave no download location`);
  const blob = await fetchFromStorage(location, `artifact ${artifactId}`);
  return jsonFromZip(await readCapped(blob, `artifact ${artifactId}`), `artifact ${artifactId}`);
}

/** One GET of a storage URL: the response, or what went wrong and whether to try again. */
async function tryStorage(
  location: string,
): Promise<{ response: Response } | { problem: string; transient: boolean }> {
  let response: Response;
  try {
    response = await fetch(location, { redirect: 'follow' });
  } catch (error) {
    return { problem: `failed (${errorMessage(error)})`, transient: true };
  }
  if (response.ok) return { response };
  await response.body?.cancel();
  const { status } = response;
  return {
    problem: `answered ${status}`,
    transient: status === 408 || status === 429 || status >= 500,
  };
}

/**
 * GETs a signed storage URL, retrying a network error or a busy/failing storage as the REST
 * client retries GitHub's 5xx (same count, same waits); a refusal (403 expired URL, 404) is final.
 */
async function fetchFromStorage(location: string, label: string): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    const outcome = await tryStorage(location);
    if ('response' in outcome) return outcome.response;
    if (!outcome.transient || attempt > SERVER_ERROR_RETRIES) {
      const tries = attempt > 1 ? ` (${attempt} tries)` : '';
      throw new Error(`${label}: its download ${outcome.problem}${tries}`);
    }
    await new Promise((resolve) => setTimeout(resolve, serverErrorRetryDelayMs(attempt)));
  }
}

/** The JSON file of an artifact zip: `loadgate-report.json` if present, else the only `.json`. */
export function jsonFromZip(zip: Uint8Array, label: string): { fileName: string; text: string } {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      filter: (file) => file.name.endsWith('.json') && file.originalSize <= MAX_ARTIFACT_BYTES,
    });
  } catch (error) {
    throw new Error(`${label} is not a readable zip (${(error as Error).message})`);
  }
  const names = Object.keys(files).sort();
  const fileName =
    names.find((n) => n.split('/').pop() === 'loadgate-report.json') ??
    (names.length === 1 ? names[0] : undefined);
  if (!fileName) {
    throw new Error(
      names.length === 0
        ? `${label} holds no JSON file (expected the loadgate JSON report)`
        : `${label} holds several JSON files (${names.join(', ')}) and none is loadgate-report.json`,
    );
  }
  return { fileName, text: new TextDecoder().decode(files[fileName]) };
}

async function readCapped(response: Response, label: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_ARTIFACT_BYTES) {
    await response.body?.cancel();
    throw new Error(`${label} is ${declared} bytes, over the ${MAX_ARTIFACT_BYTES}-byte limit`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body?.getReader();
  for (let next = await reader?.read(); reader && next && !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > MAX_ARTIFACT_BYTES) {
      await reader.cancel();
      throw new Error(`${label} is over the ${MAX_ARTIFACT_BYTES}-byte limit`);
    }
    chunks.push(next.value);
  }
  return Buffer.concat(chunks);
}
