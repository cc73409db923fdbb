import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** A docker compose project: what its containers' `com.docker.compose.project` label holds. */
export interface ComposeProject {
  name: string;
  /** Where the name came from, for the report: "stack.compose-project", "-p in stack.start", ... */
  source: string;
}

/** Compose's default files, in the order compose looks for them. */
const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml'];

/** Splits a shell command into words (quotes and backslashes; no expansion). */
export function shellWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: '"' | "'" | undefined;
  let inWord = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < command.length) word += command[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < command.length) {
      word += command[++i];
      inWord = true;
    } else if (/\s/.test(c) || c === ';' || c === '&' || c === '|') {
      if (inWord) words.push(word);
      if (!/\s/.test(c)) words.push(c);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** The global options of the first `docker compose` / `docker-compose` call of a command. */
export function composeInvocation(
  command: string,
): { project?: string; files: string[]; projectDirectory?: string } | undefined {
  const words = shellWords(command);
  let i = words.findIndex(
    (w, k) => w === 'docker-compose' || (w === 'docker' && words[k + 1] === 'compose'),
  );
  if (i < 0) return undefined;
  i += words[i] === 'docker' ? 2 : 1;
  const found: { project?: string; files: string[]; projectDirectory?: string } = { files: [] };
  for (; i < words.length; i++) {
    const w = words[i] as string;
    const [flag, inline] = w.startsWith('--') && w.includes('=') ? w.split(/=(.*)/s) : [w];
    const value = () => inline ?? words[++i];
    if (flag === '-p' || flag === '--project-name') found.project = value();
    else if (flag === '-f' || flag === '--file') {
      const file = value();
      if (file) found.files.push(file);
    } else if (flag === '--project-directory') found.projectDirectory = value();
    else if (!w.startsWith('-')) break; // the subcommand (up, down, ...)
  }
  return found;
}

/** Compose's normalisation of a project name (v1 and v2 agree on this): lower case, [a-z0-9_-]. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}

/**
 * The compose project a stack runs as, or undefined when the stack is not a compose project:
 * `stack.compose-project`, else what compose itself would pick for the start command: `-p`,
 * COMPOSE_PROJECT_NAME, the compose file's top-level `name:` (v2), the project folder's name.
 */
export function composeProject(options: {
  start: string;
  explicit?: string | undefined;
  cwd: string;
  env: Record<string, string | undefined>;
}): ComposeProject | undefined {
  if (options.explicit) return { name: options.explicit, source: 'stack.compose-project' };
  const call = composeInvocation(options.start);
  if (!call) return undefined;
  if (call.project)
    return { name: normalizeProjectName(call.project), source: '-p in stack.start' };
  const fromEnv = options.env.COMPOSE_PROJECT_NAME;
  if (fromEnv) return { name: normalizeProjectName(fromEnv), source: 'COMPOSE_PROJECT_NAME' };
  const files = (call.files.length > 0 ? call.files : DEFAULT_FILES).map((f) =>
    path.resolve(options.cwd, f),
  );
  const file = files.find((f) => existsSync(f));
  const named = file ? topLevelName(file) : undefined;
  if (named)
    return { name: normalizeProjectName(named), source: `name: in ${path.basename(file!)}` };
  const folder = call.projectDirectory
    ? path.resolve(options.cwd, call.projectDirectory)
    : call.files.length > 0 && file
      ? path.dirname(file)
      : options.cwd;
  return { name: normalizeProjectName(path.basename(folder)), source: 'the project folder' };
}

function topLevelName(file: string): string | undefined {
  try {
    const doc = parseYaml(readFileSync(file, 'utf8')) as unknown;
    const name = (doc as { name?: unknown } | null)?.name;
    return typeof name === 'string' && !name.includes('$') ? name : undefined;
  } catch {
    return undefined; // compose will say what is wrong with the file
  }
}
