// Renders the inputs and outputs tables of README.md from action.yml, between markers.
// `--check` fails (exit 1) when the README is not current; it never writes in that mode.
import { readFileSync, writeFileSync } from 'node:fs';
import * as prettier from 'prettier';
import { parse } from 'yaml';

const action = parse(readFileSync('action.yml', 'utf8'));
const cell = (text) =>
  String(text ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ')
    .trim();

const inputs = [
  '| Input | Description | Default |',
  '| --- | --- | --- |',
  ...Object.entries(action.inputs ?? {}).map(
    ([name, input]) =>
      `| \`${name}\` | ${cell(input.description)} | ${input.default === undefined ? '' : `\`${cell(input.default)}\``} |`,
  ),
].join('\n');
const outputs = [
  '| Output | Description |',
  '| --- | --- |',
  ...Object.entries(action.outputs ?? {}).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`,
  ),
].join('\n');

function replaceBlock(text, name, body) {
  const start = `<!-- ${name}:start (generated from action.yml by npm run docs) -->`;
  const end = `<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from === -1 || to === -1) throw new Error(`README.md: missing the ${name} markers`);
  return `${text.slice(0, from + start.length)}\n\n${body}\n\n${text.slice(to)}`;
}

const readme = readFileSync('README.md', 'utf8');
// Formatted as the repository's prettier would, so format:check and docs:check agree.
const options = (await prettier.resolveConfig('README.md')) ?? {};
const next = await prettier.format(
  replaceBlock(replaceBlock(readme, 'inputs', inputs), 'outputs', outputs),
  {
    ...options,
    parser: 'markdown',
  },
);
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error(
      'README.md: the inputs/outputs tables are not current with action.yml: run `npm run docs`',
    );
    process.exit(1);
  }
} else if (next !== readme) {
  writeFileSync('README.md', next);
}
