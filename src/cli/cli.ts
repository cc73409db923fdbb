import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Override } from '../config/load-config.js';
import { createEngine } from '../engine/create-engine.js';
import { createProgressPrinter } from '../engine/builtin/progress.js';
import { errorMessage } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { runInit } from './init-command.js';
import { runPipeline, type PipelineOutcome } from '../pipeline/pipeline.js';
import { useColour } from '../report/colour.js';
import { renderTerminal } from '../report/render-terminal.js';
import { stopError } from '../report/run-error-messages.js';
import { VERSION } from '../shared/version.js';

const USAGE = `Usage: loadgate run [options]
       loadgate init --openapi <url|file> [--out loadgate.yml] [--force]   (loadgate init --help)

Boots the stack, runs the smoke stage then the ramp, checks the thresholds and prints the report.

Options:
  --config <file>       config file (default: loadgate.yml)
  --json <file>         JSON report (default: loadgate-report.json)
  --markdown <file>     also write the markdown report to this file
  --html <file>         HTML report (default: loadgate-report.html beside the JSON report)
  --format <f>          what stdout gets: terminal, markdown or json (default: terminal on a
                        terminal, markdown when piped); NO_COLOR / FORCE_COLOR set the colours
  --locale <en|fr>      report language (default: the config's, else en)
  --baseline <file>     an earlier JSON report to check regressions against (\`baseline-path\`)
  --target <url>        override \`target\`
  --users <n>           override \`stages.ramp.users\`
  --spawn-rate <n>      override \`stages.ramp.spawn-rate\`
  --duration <d>        override \`stages.ramp.duration\` (e.g. 30s)
  --quiet               no progress lines
  -h, --help            this help
  -v, --version         loadgate's version

Exit codes: 0 gate passed · 1 gate failed · 2 bad config or the stack never became ready`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal: the terminal report then, else markdown. */
  isTTY: boolean;
  signal?: AbortSignal;
}

export const FORMATS = ['terminal', 'markdown', 'json'] as const;
export type Format = (typeof FORMATS)[number];

/** Runs the CLI and returns its exit code (the caller sets process.exitCode). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // `init` has its own flags: a starting loadgate.yml from an OpenAPI document
  if (argv[0] === 'init') return runInit(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', default: 'loadgate.yml' },
        json: { type: 'string', default: 'loadgate-report.json' },
        markdown: { type: 'string' },
        html: { type: 'string' },
        format: { type: 'string' },
        locale: { type: 'string' },
        baseline: { type: 'string' },
        target: { type: 'string' },
        users: { type: 'string' },
        'spawn-rate': { type: 'string' },
        duration: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    io.stderr(`loadgate: ${errorMessage(error)}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  if (positionals[0] !== 'run' || positionals.length > 1) {
    io.stderr(
      `loadgate: expected the command \`run\` or \`init\`${positionals.length ? `, got \`${positionals.join(' ')}\`` : ''}\n\n${USAGE}\n`,
    );
    return 2;
  }
  for (const name of ['json', 'markdown', 'html'] as const) {
    const file = values[name];
    if (file !== undefined && (file.trim() === '' || /[/\\]$/.test(file))) {
      io.stderr(
        `loadgate: --${name}: got "${file}", expected a file path (e.g. out/report.${name === 'markdown' ? 'md' : name})\n`,
      );
      return 2;
    }
  }
  if (values.locale !== undefined && values.locale !== 'en' && values.locale !== 'fr') {
    io.stderr(`loadgate: --locale: got "${values.locale}", expected en or fr\n`);
    return 2;
  }
  const format = values.format ?? (io.isTTY ? 'terminal' : 'markdown');
  if (!isFormat(format)) {
    io.stderr(`loadgate: --format: got "${format}", expected one of ${FORMATS.join(', ')}\n`);
    return 2;
  }

  const overrides: Override[] = [];
  const flag = (
    name: 'target' | 'users' | 'spawn-rate' | 'duration',
    key: string[],
    numeric = false,
  ) => {
    const text = values[name];
    if (text === undefined) return;
    overrides.push({
      key,
      value: numeric && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text,
      source: `--${name}`,
    });
  };
  flag('target', ['target']);
  flag('users', ['stages', 'ramp', 'users'], true);
  flag('spawn-rate', ['stages', 'ramp', 'spawn-rate'], true);
  flag('duration', ['stages', 'ramp', 'duration']);
  if (values.baseline !== undefined) {
    overrides.push({
      key: ['baseline-path'],
      value: path.resolve(values.baseline),
      source: '--baseline',
    });
  }

  const outcome = await runPipeline({
    configPath: values.config,
    overrides,
    reportPath: values.json,
    markdownPath: values.markdown,
    htmlPath: values.html,
    locale: values.locale as 'en' | 'fr' | undefined,
    env: io.env,
    logger: terminalLogger(io),
    createEngine,
    onEngineEvent: values.quiet
      ? undefined
      : createProgressPrinter({ write: (line) => io.stderr(`${line}\n`) }),
    signal: io.signal,
  });
  io.stdout(render(outcome, format, io));
  // JSON on stdout is for machines: the headline (a config error, say) is said here, once
  if (format === 'json') io.stderr(`\nloadgate: ${outcome.report.headline}\n`);
  io.stderr(
    `\nloadgate: ${outcome.report.verdict} (exit ${outcome.exitCode}) · report: ${outcome.reportPath}${outcome.htmlPath ? ` · HTML: ${outcome.htmlPath}` : ''}\n`,
  );
  return outcome.exitCode;
}

function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

function render(outcome: PipelineOutcome, format: Format, io: CliIo): string {
  if (format === 'json') return `${JSON.stringify(outcome.report, null, 2)}\n`;
  if (format === 'markdown') return outcome.markdown;
  return renderTerminal(outcome.report, {
    locale: outcome.locale,
    colour: useColour(io.env, io.isTTY),
  });
}

function terminalLogger(io: CliIo): Logger {
  const secrets: string[] = [];
  const mask = (text: string) => secrets.reduce((out, s) => out.split(s).join('***'), text);
  return {
    info: (m) => io.stderr(`${mask(m)}\n`),
    warning: (m) => io.stderr(`warning: ${mask(m)}\n`),
    error: (m) => io.stderr(`error: ${mask(m)}\n`),
    debug: (m) => {
      if (io.env.LOADGATE_DEBUG) io.stderr(`debug: ${mask(m)}\n`);
    },
    group: async (name, fn) => {
      io.stderr(`── ${name}\n`);
      return fn();
    },
    setSecret: (value) => {
      if (value) secrets.push(value);
    },
  };
}

/** Entry point of the `loadgate` binary. */
export async function main(): Promise<void> {
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => stop.abort(stopError({ kind: 'signal', signal }));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  process.exitCode = await runCli(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    isTTY: process.stdout.isTTY === true,
    signal: stop.signal,
  });
}
