import { existsSync } from 'node:fs';
import path from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { HTML_REPORT_FILE } from '../shared/constants.js';
import { stackLogFiles } from '../stack/stack-log-files.js';

export interface UploadedArtifact {
  id: number;
  size: number;
  /** The files it holds, relative to the report's folder. */
  files: string[];
}

/**
 * Uploads the JSON report, the HTML report and the stack logs beside it as one artifact of this workflow run
 * (the runner's artifact service: ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL). A push run's
 * artifact is the baseline of later PRs; a fork PR's is what `mode: report` posts.
 */
export async function uploadReportArtifact(
  name: string,
  reportPath: string,
  client: Pick<DefaultArtifactClient, 'uploadArtifact'> = new DefaultArtifactClient(),
): Promise<UploadedArtifact> {
  const dir = path.dirname(reportPath);
  const files = [reportPath, path.join(dir, HTML_REPORT_FILE), ...stackLogFiles(dir)].filter((f) =>
    existsSync(f),
  );
  const uploaded = await client.uploadArtifact(name, files, dir);
  return {
    id: uploaded.id ?? 0,
    size: uploaded.size ?? 0,
    files: files.map((f) => path.relative(dir, f)),
  };
}
