/** `feedgen check` applies exactly the rules `build` applies, and names files so that a terminal opens them. */
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { article, writeArticles } from '../helpers/articles.js';
import { scratchFolder } from '../helpers/scratch.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);

async function feedgen(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return run(process.execPath, [path.join(ROOT, 'bin/feedgen.js'), ...args], { cwd }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

describe('check and build', () => {
  it('both refuse a site without base_url, and both accept it with --base-url', async () => {
    const articles = await writeArticles({ '_index.md': '---\ntitle: No base\ntimezone: UTC\n---\n', 'x/a.md': article('title: A\ndate: 2020-01-01') });
    const cwd = path.dirname(articles);
    const checked = await feedgen(['check'], cwd);
    const built = await feedgen(['build', '--out', 'out'], cwd);
    expect(built.code).toBe(1);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toContain('articles/_index.md:1: "base_url" is required (or pass --base-url)');
    expect((await feedgen(['check', '--base-url', 'https://example.com'], cwd)).code).toBe(0);
    expect((await feedgen(['build', '--out', 'out', '--base-url', 'https://example.com'], cwd)).code).toBe(0);
  });
});

describe('check names files', () => {
  it('relative to where it runs when they lie below it, else by absolute path, so that the terminal there opens them', async () => {
    const articles = await writeArticles({ 'us/_index.md': '---\ntitle: US\n---\n', 'us/bad.md': article('title: Bad\ndate: 2019-02-30') });
    const elsewhere = await scratchFolder('feedgen-cwd-');
    const inside = path.join(path.dirname(articles), 'tools');
    await mkdir(inside);
    const fromOutside = await feedgen(['check', '--articles', articles], elsewhere);
    expect(fromOutside.stdout.trim()).toBe(`${articles}/us/bad.md:3: "date": day 30 does not exist in 2019-02 (it has 28 days) in "2019-02-30"`);
    const fromBelow = await feedgen(['check', '--articles', '../articles'], inside);
    expect(fromBelow.stdout).toMatch(new RegExp(`^${articles}/us/bad\\.md:3: `));
    const fromParent = await feedgen(['check', '--articles', articles], path.dirname(articles));
    expect(fromParent.stdout).toMatch(/^articles\/us\/bad\.md:3: /);
  });
});
