import { createReadStream, createWriteStream, existsSync, renameSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Redactor } from './redact.js';

/**
 * Redacts a text file (the stack log kept beside the report, which the action uploads) in
 * place, line by line, so a log of any size is never held in memory. A secret that a stack
 * prints must not reach an artifact any more than a comment.
 */
export async function redactFileInPlace(file: string, redact: Redactor): Promise<void> {
  if (!existsSync(file)) return;
  const temporary = `${file}.redacting`;
  const out = createWriteStream(temporary);
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!out.write(`${redact(line)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  renameSync(temporary, file);
}
