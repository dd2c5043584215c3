// npm runs `prepare` after `npm ci` in this checkout, and in this folder when another project
// installs feedgen from it (`npm install ../feedgen`) or from git. It compiles src/ to lib/ with
// TypeScript, a dev dependency: a checkout without its node_modules cannot, and is told what to do.
// A tarball made by `npm pack` ships lib/ built, and npm runs no `prepare` for it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.error(
    `feedgen: ${root} has no TypeScript to build lib/ with. Run \`npm ci\` there first, or install ` +
      'the tarball that `npm pack` writes there (it ships lib/ built).',
  );
  process.exit(1);
}
const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
