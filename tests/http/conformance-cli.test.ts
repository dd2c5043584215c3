import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runConformance } from '../../scripts/conformance.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let child: ChildProcess;
let origin: string;

/** `npx feedgen serve` as users run it (the compiled bin), on a free port. */
beforeAll(async () => {
  child = spawn(process.execPath, ['bin/feedgen.js', 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  origin = await new Promise<string>((resolve, reject) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /serving \d+ articles at (http:\/\/[^/\s]+)\//.exec(stderr);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`feedgen serve exited with ${code}: ${stderr}`)));
  });
});
afterAll(() => {
  child.kill();
});

it('every feed of the bundled site passes the polling conformance run against `feedgen serve`', async () => {
  const report = await runConformance(origin);
  expect(report.failures).toEqual([]);
  // The whole site and ten sections, three formats each.
  expect(report.feeds).toHaveLength(33);
});
