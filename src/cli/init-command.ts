import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { errorMessage } from '../shared/errors.js';
import { initConfig } from '../openapi/init-config.js';
import { loadSpec } from '../openapi/load-spec.js';

export const INIT_USAGE = `Usage: loadgate init --openapi <url|file> [--out loadgate.yml] [--force]

Writes a starting loadgate.yml from the API's OpenAPI document (3.0 or 3.1, JSON or YAML):
the target, a login from its OAuth2 password flow, one task per GET operation.

Options:
  --openapi <url|file>  the OpenAPI document (e.g. http://127.0.0.1:8000/openapi.json)
  --out <file>          the config to write (default: loadgate.yml)
  --force               overwrite an existing file
  -h, --help            this help`;

export interface InitIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  fetch?: typeof fetch;
}

/** `loadgate init`: returns the exit code (0 written, 2 bad arguments or document). */
export async function runInit(argv: string[], io: InitIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        openapi: { type: 'string' },
        out: { type: 'string', default: 'loadgate.yml' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    io.stderr(`loadgate init: ${errorMessage(error)}\n\n${INIT_USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${INIT_USAGE}\n`);
    return 0;
  }
  if (!values.openapi) {
    io.stderr(
      `loadgate init: --openapi is required: the URL or file of the API's OpenAPI document\n\n${INIT_USAGE}\n`,
    );
    return 2;
  }
  const out = path.resolve(values.out);
  if (existsSync(out) && !values.force) {
    io.stderr(
      `loadgate init: ${values.out} already exists; pass --force to overwrite it, or --out <file> to write another file\n`,
    );
    return 2;
  }
  const loaded = await loadSpec(values.openapi, { baseDir: process.cwd(), fetch: io.fetch });
  if (!loaded.ok) {
    io.stderr(
      `loadgate init: --openapi ${values.openapi}: ${loaded.reason}; expected an OpenAPI 3.0 or 3.1 document (JSON, or YAML in a .yaml file)\n`,
    );
    return 2;
  }
  const isUrl = /^https?:\/\//i.test(loaded.source);
  const text = initConfig(loaded.spec, {
    // a file is named relative to the config, as every path in it
    openapi: isUrl ? loaded.source : path.relative(path.dirname(out), loaded.source),
    ...(isUrl ? { specUrl: loaded.source } : {}),
  });
  try {
    writeFileSync(out, text, { flag: values.force ? 'w' : 'wx' });
  } catch (error) {
    io.stderr(`loadgate init: cannot write ${values.out}: ${errorMessage(error)}\n`);
    return 2;
  }
  io.stdout(
    `wrote ${values.out} from ${loaded.source}: edit it, set the secrets it reads from \${env.…}, then run \`npx loadgate run --config ${values.out}\`\n`,
  );
  return 0;
}
