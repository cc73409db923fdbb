// Starts the NestJS zoo app: compiles src/ with the repository's TypeScript (Nest needs
// experimentalDecorators + emitDecoratorMetadata, which tsx/esbuild do not emit), then imports
// the compiled main.js. The output goes to node_modules/.cache/zoo-nestjs/<hash of the sources>/
// inside this folder: git, ESLint, Prettier and the root tsconfig all skip node_modules, and Node
// still resolves @nestjs/* from the repository's node_modules. An existing build of the same
// sources is reused; a fresh one is renamed into place atomically, so apps started concurrently
// never see a half-written build.
// Run: ZOO_DATA_DIR=... ZOO_JWT_SECRET=... PORT=... node24 test/zoo/nestjs/start.mjs
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const tsc = join(dir, '../../../node_modules/typescript/bin/tsc');

const hash = createHash('sha256');
for (const file of [
  'tsconfig.json',
  ...readdirSync(join(dir, 'src'))
    .sort()
    .map((f) => join('src', f)),
]) {
  hash.update(file).update(readFileSync(join(dir, file)));
}
hash.update(readFileSync(join(dir, '../../../node_modules/typescript/package.json')));
const cacheDir = join(dir, 'node_modules/.cache/zoo-nestjs');
const build = hash.digest('hex').slice(0, 16);
const outDir = join(cacheDir, build);

if (!existsSync(join(outDir, 'main.js'))) {
  const tmpDir = `${outDir}.tmp-${process.pid}`;
  try {
    execFileSync(process.execPath, [tsc, '-p', dir, '--outDir', tmpDir], { stdio: 'inherit' });
    // Node gives files under node_modules no package scope: say that the output is ESM.
    writeFileSync(join(tmpDir, 'package.json'), '{ "type": "module" }\n');
    renameSync(tmpDir, outDir);
    for (const old of readdirSync(cacheDir)) {
      if (old !== build && !old.includes('.tmp-')) rmSync(join(cacheDir, old), { recursive: true });
    }
  } catch (err) {
    rmSync(tmpDir, { recursive: true, force: true });
    if (!existsSync(join(outDir, 'main.js'))) throw err; // else another start won the race
  }
}

await import(pathToFileURL(join(outDir, 'main.js')).href);
