// Bundles the action (dist/index.js), its post step (dist/post/index.js) and the CLI
// (dist/cli/index.js): tsc compiles src/ (tsconfig.build.json), then @vercel/ncc bundles each
// entry with its dependencies. dist/ is committed; CI checks it is fresh.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const run = (script, args) =>
  execFileSync(process.execPath, [script, ...args], { stdio: 'inherit' });

rmSync('.cache/build', { recursive: true, force: true });
run('node_modules/typescript/bin/tsc', ['-p', 'tsconfig.build.json']);

rmSync('dist', { recursive: true, force: true });
for (const [entry, out] of [
  ['index.js', 'dist'],
  ['post.js', 'dist/post'],
  ['cli-entry.js', 'dist/cli'],
]) {
  run('node_modules/@vercel/ncc/dist/ncc/cli.js', [
    'build',
    `.cache/build/${entry}`,
    '-o',
    out,
    '--license',
    'licenses.txt',
    '--quiet',
    '--target',
    'es2022',
  ]);
}
