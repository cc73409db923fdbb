// Renders README.md's "Diagnosis accuracy" table (framework × fault) from the matrix that
// test/e2e/diagnosis-matrix.test.ts asserts (test/zoo/matrix.ts) and the zoo's apps, between
// markers. `--check` fails (exit 1) when the README is not current; it never writes in that mode.
import { readFileSync, writeFileSync } from 'node:fs';
import * as prettier from 'prettier';
import { zooApps } from '../test/zoo/apps.js';
import { expectedOf, FAULT_LABELS, FAULTS } from '../test/zoo/matrix.js';

const apps = zooApps();
const notes: string[] = [];

/** A cell: the top finding (and "honest" when the API says nothing more), or "passes". */
function cell(app: string, fault: (typeof FAULTS)[number]): string {
  const expected = expectedOf(app, fault);
  if ('pass' in expected) {
    if (!expected.why) return 'passes';
    notes.push(`${app}, ${FAULT_LABELS[fault]}: ${expected.why}`);
    return `passes<sup>${notes.length}</sup>`;
  }
  if (!expected.honest) return `\`${expected.finding}\`${expected.confirmed ? ', confirmed' : ''}`;
  notes.push(`${app}, ${FAULT_LABELS[fault]}: ${expected.honest}`);
  return `\`${expected.finding}\`, honest<sup>${notes.length}</sup>`;
}

const table = [
  `| Framework | ${FAULTS.map((f) => FAULT_LABELS[f]).join(' | ')} |`,
  `| --- | ${FAULTS.map(() => '---').join(' | ')} |`,
  ...apps.map(
    (app) =>
      `| ${app.framework.replace(/ \(.*$/, '')}, ${app.language} | ${FAULTS.map((f) => cell(app.name, f)).join(' | ')} |`,
  ),
].join('\n');
const body = `${table}\n\n${notes.map((n, i) => `${i + 1}. ${n}`).join('\n')}`;

const start =
  '<!-- diagnosis-accuracy:start (generated from test/zoo/matrix.ts by npm run docs) -->';
const end = '<!-- diagnosis-accuracy:end -->';
const readme = readFileSync('README.md', 'utf8');
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from === -1 || to === -1) throw new Error('README.md: missing the diagnosis-accuracy markers');
const options = (await prettier.resolveConfig('README.md')) ?? {};
const next = await prettier.format(
  `${readme.slice(0, from + start.length)}\n\n${body}\n\n${readme.slice(to)}`,
  { ...options, parser: 'markdown' },
);
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error(
      'README.md: the diagnosis accuracy table is not current with test/zoo/matrix.ts: run `npm run docs`',
    );
    process.exit(1);
  }
} else if (next !== readme) {
  writeFileSync('README.md', next);
}
