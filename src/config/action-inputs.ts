import path from 'node:path';
import { z } from 'zod';
import { Input } from '../shared/constants.js';
import { ConfigError } from '../shared/errors.js';
import type { Override } from './load-config.js';

/** Everything the action reads from its inputs, typed. Read once, in `readActionInputs`. */
export interface ActionInputs {
  /** `run`: boot the stack and gate; `report`: post the report another run uploaded. */
  mode: 'run' | 'report';
  /** The artifact holding the JSON report: the baseline lookup and `mode: report` read it. */
  artifactName: string;
  /** Upload the report and stack logs as the `artifactName` artifact of this run. */
  uploadReport: boolean;
  configPath: string;
  /** The report language when set (in `mode: run` it also overrides the config's `locale`). */
  locale?: 'en' | 'fr';
  githubToken: string;
  comment: 'off' | 'on-failure' | 'always';
  commentKey: string;
  failOn: 'fail' | 'inconclusive' | 'never';
  reportPath: string;
  /** Config keys overridden by inputs (applied on top of the file, validated by its schema). */
  overrides: Override[];
}

const enumInput = <const T extends string>(name: string, values: readonly [T, ...T[]]) =>
  z.enum(values, {
    error: (issue) =>
      `input \`${name}\`: got ${JSON.stringify(issue.input)}, expected one of ${values.join(', ')}`,
  });

/** Inputs that override a key of the config file, and how to convert their text. */
const OVERRIDES: { input: string; key: string[]; number?: boolean; path?: boolean }[] = [
  { input: Input.Target, key: ['target'] },
  { input: Input.BaselinePath, key: ['baseline-path'], path: true },
  { input: Input.Locale, key: ['locale'] },
  { input: Input.Users, key: ['stages', 'ramp', 'users'], number: true },
  { input: Input.SpawnRate, key: ['stages', 'ramp', 'spawn-rate'], number: true },
  { input: Input.Duration, key: ['stages', 'ramp', 'duration'] },
  { input: Input.FailureRate, key: ['thresholds', 'failure-rate'] },
  { input: Input.P95, key: ['thresholds', 'p95'] },
];

/**
 * Reads every input through `getInput` (core.getInput in the action; a stub in tests).
 * Empty inputs mean "not set". Throws a ConfigError naming the input.
 */
export function readActionInputs(getInput: (name: string) => string): ActionInputs {
  const optional = (name: string): string | undefined => {
    const value = getInput(name).trim();
    return value === '' ? undefined : value;
  };
  const parse = <S extends z.ZodType>(schema: S, value: unknown): z.output<S> => {
    const result = schema.safeParse(value);
    if (!result.success)
      throw new ConfigError(result.error.issues.map((i) => i.message).join('; '));
    return result.data;
  };

  const overrides: Override[] = [];
  for (const { input, key, number, path: isPath } of OVERRIDES) {
    const text = optional(input);
    if (text === undefined) continue;
    // a path given as an input is relative to the workspace (the step's cwd), not the config
    const value = isPath
      ? path.resolve(text)
      : number && /^\s*-?\d+(\.\d+)?\s*$/.test(text)
        ? Number(text)
        : text;
    overrides.push({ key, value, source: `input \`${input}\`` });
  }

  return {
    mode: parse(enumInput(Input.Mode, ['run', 'report']), optional(Input.Mode) ?? 'run'),
    artifactName: parse(
      z.string().regex(/^[^"<>|*?:\\/\r\n]+$/, {
        error: `input \`${Input.ArtifactName}\`: an artifact name cannot contain " : < > | * ? \\ / or a newline`,
      }),
      optional(Input.ArtifactName) ?? 'loadgate-report',
    ),
    uploadReport:
      parse(
        enumInput(Input.UploadReport, ['true', 'false']),
        optional(Input.UploadReport) ?? 'true',
      ) === 'true',
    configPath: optional(Input.Config) ?? 'loadgate.yml',
    ...(optional(Input.Locale)
      ? { locale: parse(enumInput(Input.Locale, ['en', 'fr']), optional(Input.Locale)) }
      : {}),
    githubToken: optional(Input.GithubToken) ?? '',
    comment: parse(
      enumInput(Input.Comment, ['off', 'on-failure', 'always']),
      optional(Input.Comment) ?? 'always',
    ),
    commentKey: parse(
      z.string().regex(/^[\w.-]+$/, {
        error: `input \`${Input.CommentKey}\`: expected letters, digits, ".", "_" or "-"`,
      }),
      optional(Input.CommentKey) ?? 'default',
    ),
    failOn: parse(
      enumInput(Input.FailOn, ['fail', 'inconclusive', 'never']),
      optional(Input.FailOn) ?? 'fail',
    ),
    reportPath: optional(Input.ReportPath) ?? 'loadgate-report.json',
    overrides,
  };
}
