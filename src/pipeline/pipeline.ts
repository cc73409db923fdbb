import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { checkUploadFiles, loadDataRows } from '../config/data-file.js';
import { BASELINE_STACK_LOG_FILE, HTML_REPORT_FILE, STACK_LOG_FILE } from '../shared/constants.js';
import { loadConfig, type LoadedConfig, type Override } from '../config/load-config.js';
import type { Config } from '../config/schema.js';
import { diagnose } from '../diagnose/diagnose.js';
import type { Engine, EngineEvent } from '../engine/engine.js';
import {
  ConfigError,
  errorMessage,
  stopFactOf,
  type KnownConfigProblem,
} from '../shared/errors.js';
import type { RunErrorFact } from '../model/json-report.js';
import { evaluateGate, type Baseline } from '../gate/evaluate-gate.js';
import { failureReason } from '../gate/failure-reason.js';
import { loadBaseline } from './load-baseline.js';
import type { Logger } from '../shared/logger.js';
import type { RunResult } from '../model/run-result.js';
import type { StackEvidence } from '../model/stack-evidence.js';
import type { GateResult } from '../model/verdict.js';
import { createRedactor, redactDeep, type Redactor } from '../report/redact.js';
import { SECRET_NAME } from '../shared/secrets.js';
import { redactFileInPlace } from '../report/redact-file.js';
import { buildJsonReport, type JsonReport } from '../report/report-data.js';
import { stopError } from '../report/run-error-messages.js';
import { renderHtml } from '../report/render-html.js';
import { renderMarkdown } from '../report/render-markdown.js';
import { wordDiagnosis } from '../report/word-diagnosis.js';
import type { Locale } from '../report/messages.js';
import { runOnStack } from './run-on-stack.js';
import { stackLogFiles } from '../stack/stack-log-files.js';
import type { RunningStack, StackRuntime } from '../stack/stack-process.js';
import { mergeBaseBaseline } from './merge-base-baseline.js';
import { VERSION } from '../shared/version.js';

export interface PipelineOptions {
  configPath: string;
  overrides: Override[];
  /** Where the JSON report goes; the stack log and markdown are written beside it. */
  reportPath: string;
  markdownPath?: string;
  /** Where the HTML report goes (default: `loadgate-report.html` beside the JSON report). */
  htmlPath?: string;
  locale?: Locale;
  env: Record<string, string | undefined>;
  logger: Logger;
  createEngine: (config: Config, baseDir: string) => Engine;
  /** Receives engine events (the progress printer). */
  onEngineEvent?: (event: EngineEvent) => void;
  /** Aborting stops the load, tears the stack down and still writes the report. */
  signal?: AbortSignal;
  /** Called once the stack runs, so the action can save its group for the post step. */
  onStackStarted?: (stack: RunningStack, composeProject?: string) => void;
  runtime?: StackRuntime;
  clock?: () => Date;
  /** Extra secret values to redact (e.g. the GitHub token). */
  secrets?: string[];
  /**
   * Finds a baseline when the config names none (the action: the report the PR's base commit
   * uploaded as an artifact). Never throws: no baseline is a notice, not a failure.
   */
  findBaseline?: () => Promise<Baseline | undefined>;
  /** The PR this run is for, recorded in the report (a `mode: report` run posts it there). */
  pullRequest?: number;
}

export type ExitCode = 0 | 1 | 2;

export interface PipelineOutcome {
  report: JsonReport;
  /** Report markdown without a marker (the job summary / terminal). */
  markdown: string;
  locale: Locale;
  exitCode: ExitCode;
  reportPath: string;
  /** The HTML report written beside it (or where `htmlPath` said); undefined if it could not be. */
  htmlPath?: string;
  redact: Redactor;
}

/**
 * config → (baseline) → stack + engine (smoke, ramp) → gate → diagnose → report. The JSON report
 * is written whatever happens; the stack is torn down whatever happens (in runOnStack).
 */
export async function runPipeline(options: PipelineOptions): Promise<PipelineOutcome> {
  const { logger } = options;
  const clock = options.clock ?? (() => new Date());
  const reportPath = path.resolve(options.reportPath);
  const htmlPath = path.resolve(
    options.htmlPath ?? path.join(path.dirname(reportPath), HTML_REPORT_FILE),
  );
  const secrets = new Set(options.secrets ?? []);
  let redact = createRedactor(secrets);

  let loaded: LoadedConfig | undefined;
  let stackEvidence: StackEvidence | undefined;
  let result: RunResult | undefined;
  let gate: GateResult | undefined;
  let error: string | undefined;
  let errorFact: RunErrorFact | undefined;
  let configError: { message: string; problem?: KnownConfigProblem } | undefined;
  let exitCode: ExitCode = 1;

  // One stop for the whole run: SIGINT/SIGTERM (options.signal) or `max-duration`.
  const runAbort = new AbortController();
  const onSignal = () => runAbort.abort(options.signal?.reason ?? new Error('the run was stopped'));
  if (options.signal?.aborted) onSignal();
  else options.signal?.addEventListener('abort', onSignal, { once: true });
  let maxDuration: NodeJS.Timeout | undefined;

  try {
    loaded = await logger.group('Config', async () => {
      const result = loadConfig({
        path: options.configPath,
        overrides: options.overrides,
        env: options.env,
      });
      // Secrets are registered before anything from the config is logged.
      for (const secret of referencedSecrets(result, options.env)) secrets.add(secret);
      redact = createRedactor(secrets);
      secrets.forEach((s) => logger.setSecret(s));
      logger.debug(`resolved config: ${redact(JSON.stringify(result.config))}`);
      return result;
    });
    const { config } = loaded;
    maxDuration = setTimeout(
      () => runAbort.abort(stopError({ kind: 'max-duration', ms: config.maxDurationMs })),
      config.maxDurationMs,
    );
    // files the scenario names are read before anything boots: a bad path is a config error
    const dataRows = config.scenario.data
      ? loadDataRows(config.scenario.data.file, loaded.baseDir)
      : undefined;
    checkUploadFiles(config, loaded.baseDir);
    const data =
      dataRows && config.scenario.data
        ? { rows: dataRows, whenExhausted: config.scenario.data.whenExhausted }
        : undefined;
    const run = {
      config,
      env: options.env,
      logger,
      createEngine: options.createEngine,
      onEngineEvent: options.onEngineEvent,
      data,
      runtime: options.runtime,
      signal: runAbort.signal,
      // the merge-base's stack too: the post step must find whichever stack a cancel left
      onStackStarted: options.onStackStarted,
    };

    // the baseline: an earlier report, or the merge-base's stack run here first (same runner)
    let baseline: Baseline | undefined;
    if (config.baselinePath) baseline = loadBaseline(config.baselinePath, loaded.baseDir);
    else if (config.baseline) {
      baseline = await mergeBaseBaseline(config.baseline, {
        configPath: loaded.path,
        env: options.env,
        run: (baseDir, logPath) =>
          runOnStack({
            ...run,
            baseDir,
            logPath,
            label: 'Baseline: ',
            checkOpenApi: false,
            probes: false,
          }),
        logPath: path.join(path.dirname(reportPath), BASELINE_STACK_LOG_FILE),
        logger,
      });
    } else if (options.findBaseline) {
      baseline = await logger.group('Baseline', options.findBaseline);
    }

    const outcome = await runOnStack({
      ...run,
      baseDir: loaded.baseDir,
      logPath: path.join(path.dirname(reportPath), STACK_LOG_FILE),
    });
    stackEvidence = outcome.stack;
    result = outcome.result;
    error = outcome.error;
    errorFact = outcome.errorFact;
    if (outcome.exitCode !== undefined || !result) {
      exitCode = outcome.exitCode ?? 1;
      return await finish();
    }
    gate = evaluateGate(result, config.thresholds, baseline);
    exitCode = gate.verdict === 'fail' ? 1 : 0;
    return await finish();
  } catch (thrown) {
    error = errorMessage(thrown);
    const stop = stopFactOf(thrown);
    if (stop) errorFact = { kind: 'stopped', stop };
    exitCode = thrown instanceof ConfigError ? 2 : 1;
    // not logged here: the report's headline says it, and each front prints that once
    if (thrown instanceof ConfigError) {
      configError = {
        message: error,
        ...(thrown.problem ? { problem: thrown.problem } : {}),
      };
    }
    return await finish();
  }

  async function finish(): Promise<PipelineOutcome> {
    clearTimeout(maxDuration);
    options.signal?.removeEventListener('abort', onSignal);
    const locale: Locale = options.locale ?? loaded?.config.locale ?? 'en';
    const { findings, plan } = wordDiagnosis(
      diagnose({ config: loaded?.config, result, gate, stack: stackEvidence, configError }),
      locale,
    );
    const report = redactDeep(
      buildJsonReport({
        version: VERSION,
        generatedAt: clock(),
        target: loaded?.config.target ?? '',
        configDigest: loaded?.digest ?? '',
        ...(options.env.GITHUB_SHA ? { commit: options.env.GITHUB_SHA } : {}),
        ...(options.pullRequest ? { pullRequest: options.pullRequest } : {}),
        environment: { cores: availableParallelism(), node: process.version },
        result,
        gate,
        stack: stackEvidence,
        findings,
        plan,
        error,
        ...(errorFact ? { errorFact } : {}),
        locale,
        reason: failureReason({
          exitCode,
          configError: configError !== undefined,
          stack: stackEvidence,
          gate,
        }),
      }),
      redact,
    );
    mkdirSync(path.dirname(reportPath), { recursive: true });
    writeFileSync(reportPath, `${JSON.stringify(report, null, 2)}\n`);
    for (const file of stackLogFiles(path.dirname(reportPath))) {
      await redactFileInPlace(file, redact).catch((e) => {
        // an unredacted log must not stay where it is uploaded: the report keeps its tail
        rmSync(file, { force: true });
        logger.warning(
          `could not redact ${path.basename(file)}, so it was removed: ${errorMessage(e)}`,
        );
      });
    }
    const markdown = renderMarkdown(report, { locale });
    if (options.markdownPath) {
      mkdirSync(path.dirname(path.resolve(options.markdownPath)), { recursive: true });
      writeFileSync(options.markdownPath, markdown);
    }
    // the HTML page is a reader's copy: failing to write it must not cost the JSON or the verdict
    let written: string | undefined = htmlPath;
    try {
      mkdirSync(path.dirname(htmlPath), { recursive: true });
      writeFileSync(htmlPath, renderHtml(report, { locale }));
    } catch (e) {
      written = undefined;
      logger.warning(`could not write the HTML report to ${htmlPath}: ${errorMessage(e)}`);
    }
    return {
      report,
      markdown,
      locale,
      exitCode,
      reportPath,
      ...(written ? { htmlPath: written } : {}),
      redact,
    };
  }
}

/**
 * Values of `${env.NAME}` used by the scenario, stack env values with secret-like names, and,
 * with a locustfile (which reads the environment itself), every env value with such a name.
 */
function referencedSecrets(
  loaded: LoadedConfig,
  env: Record<string, string | undefined>,
): string[] {
  const values = loaded.envReferences.map((n) => env[n]).filter((v): v is string => Boolean(v));
  const named = [
    ...Object.entries(loaded.config.stack?.env ?? {}),
    ...(loaded.config.locustfile ? Object.entries(env) : []),
  ];
  for (const [name, value] of named) {
    // flags and numbers ("true", "1") under a secret-like name are not secrets to scrub
    if (SECRET_NAME.test(name) && value && !/^(true|false|yes|no|\d{1,6})$/i.test(value))
      values.push(value);
  }
  return values;
}
