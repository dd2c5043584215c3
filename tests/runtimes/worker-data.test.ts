/** `feedgen worker-data` writes a module and its type declarations, from whatever folder it runs in. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BUNDLED_ARTICLES } from '../helpers/server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

describe('feedgen worker-data', () => {
  it('declares the prepared site with the PreparedSite type of this package, run from another folder', async () => {
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'feedgen-cwd-'));
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'feedgen-out-')), 'site-data.js');
    await run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'worker-data', '--articles', BUNDLED_ARTICLES, '--out', out], { cwd: elsewhere });

    const declarations = await readFile(out.replace(/\.js$/, '.d.ts'), 'utf8');
    const imported = /^import type \{ PreparedSite \} from '([^']+)';$/m.exec(declarations)?.[1];
    expect(imported, declarations).toBeDefined();
    expect(path.resolve(path.dirname(out), imported ?? '')).toBe(path.join(ROOT, 'src/publish/index.js'));
  });
});
