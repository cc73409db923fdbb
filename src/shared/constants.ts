/** Names of the action's inputs, outputs and saved state: one place, no scattered strings. */

export const Input = {
  Mode: 'mode',
  ArtifactName: 'artifact-name',
  UploadReport: 'upload-report',
  Config: 'config',
  GithubToken: 'github-token',
  Comment: 'comment',
  CommentKey: 'comment-key',
  Locale: 'locale',
  FailOn: 'fail-on',
  ReportPath: 'report-path',
  BaselinePath: 'baseline-path',
  Target: 'target',
  Users: 'users',
  SpawnRate: 'spawn-rate',
  Duration: 'duration',
  FailureRate: 'failure-rate',
  P95: 'p95',
} as const;

export const Output = {
  Verdict: 'verdict',
  Reason: 'reason',
  P95Ms: 'p95-ms',
  FailureRate: 'failure-rate',
  Rps: 'rps',
  ReportPath: 'report-path',
  CommentId: 'comment-id',
  CommentUrl: 'comment-url',
  Regressions: 'regressions',
  BaselineSha: 'baseline-sha',
} as const;

export const State = {
  StackPgid: 'stack-pgid',
  ComposeProject: 'compose-project',
} as const;

export const COMMENT_MARKER_PREFIX = 'loadgate';

/** The stack logs, written beside the JSON report (and uploaded with it). */
export const STACK_LOG_FILE = 'loadgate-stack.log';
export const BASELINE_STACK_LOG_FILE = 'loadgate-baseline-stack.log';

/** The HTML report's default name, beside the JSON report (and uploaded with it). */
export const HTML_REPORT_FILE = 'loadgate-report.html';
