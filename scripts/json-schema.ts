// Writes loadgate.schema.json from the zod schema; `--check` fails when it is not current.
import { readFileSync, writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/json-schema.js';

const file = 'loadgate.schema.json';
const next = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
let current = '';
try {
  current = readFileSync(file, 'utf8');
} catch {
  // first generation
}
if (process.argv.includes('--check')) {
  if (current !== next) {
    console.error(`${file} is not current with src/config/schema.ts: run \`npm run docs\``);
    process.exit(1);
  }
} else if (current !== next) {
  writeFileSync(file, next);
}
