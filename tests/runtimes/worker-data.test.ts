/** `feedgen worker-data` writes the site's data and the Worker's entry beside it, from whatever folder it runs in. */
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
  it("writes an entry that hands the data beside it to this package's Worker, run from another folder", async () => {
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'feedgen-cwd-'));
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'feedgen-out-')), 'site-data.js');
    await run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), 'worker-data', '--articles', BUNDLED_ARTICLES, '--out', out], { cwd: elsewhere });

    const entry = await readFile(path.join(path.dirname(out), 'worker.js'), 'utf8');
    const imports = [...entry.matchAll(/^import .+ from "([^"]+)";$/gm)].map((m) => path.resolve(path.dirname(out), m[1] ?? ''));
    expect(imports, entry).toEqual([path.join(ROOT, 'lib/runtimes/worker.js'), out]);
    expect(entry).toMatch(/^export default createWorker\(data, version\);$/m);
    const data = await import(out);
    expect(data.version).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(data.default.articles.length).toBeGreaterThan(10);
  });
});
