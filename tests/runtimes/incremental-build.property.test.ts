/**
 * The incremental build as a property: over random sequences of what a newsroom does to a site
 * (articles added, edited, moved, deleted, scheduled; settings edited; time passing) and of
 * accidents to what a build keeps (the cache, or only the build records, deleted; the output
 * folders changed by hand), `build` from its cache leaves the output folder exactly as a clean
 * build (`--no-cache`, into an empty folder) writes it: the same files, bytes and modification
 * times; and `worker-data` from its cache leaves the Worker's assets with the same files and bytes.
 *
 * Seeded (FEEDGEN_INCREMENTAL_SEED); FEEDGEN_INCREMENTAL_RUNS runs it longer. A failure prints the
 * shortest sequence of steps that still fails.
 */
import { createHash } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/index.js';
import { defaultCacheDir } from '../../src/state/cache.js';
import { SECTIONS, TAGS, iso, keyOf, storyText, type Story } from '../helpers/stories.js';

const SEED = Number(process.env.FEEDGEN_INCREMENTAL_SEED ?? 20261207);
const RUNS = Number(process.env.FEEDGEN_INCREMENTAL_RUNS ?? 3);
const STEPS = 10;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const MINUTE = 60_000;
const AUTHORS = ['Desk', 'Ada', 'Lin'] as const;

interface Site {
  root: string;
  articles: string;
  now: number;
  serial: number;
  stories: Story[];
  siteTitle: string;
  sectionTitles: Record<string, string>;
  authorBio: string;
  archiveContent: 'summary' | 'full';
  /** Files the incremental builds left as they were, summed over the sequence: the property is about them. */
  spared: number;
}

type Step =
  | { kind: 'add'; section: number; tags: number[]; author: number; daysBack: number }
  | { kind: 'schedule'; section: number; ahead: number }
  | { kind: 'edit'; index: number; what: 'title' | 'body' | 'tags' | 'author' | 'backdate' }
  | { kind: 'move'; index: number; to: number }
  | { kind: 'delete'; index: number }
  | { kind: 'settings'; which: 'site' | 'section' | 'authors' | 'archive-content'; index: number }
  | { kind: 'drop'; what: 'cache' | 'build-record' | 'output' }
  | { kind: 'tamper'; what: 'rewrite' | 'remove' | 'add' | 'remove-folder'; index: number }
  | { kind: 'tick' };

/** The folders the runs update in place: the static build's and the Worker's assets. */
const OUTPUTS = ['dist', 'assets'] as const;

const pick = <T,>(list: readonly T[], index: number): T => list[index % list.length] as T;

async function writeStory(site: Site, story: Story): Promise<void> {
  const file = path.join(site.articles, `${keyOf(story)}.md`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, storyText(story));
}

async function writeSettings(site: Site): Promise<void> {
  await mkdir(site.articles, { recursive: true });
  await writeFile(
    path.join(site.articles, '_index.md'),
    `---\ntitle: ${site.siteTitle}\nauthor: Desk\nbase_url: https://desk.example.com\ntimezone: UTC\nfeed_limit: 2\narchive_size: 2\n` +
      `archives: [site, sections, tags, authors]\narchive_content: ${site.archiveContent}\ntombstone_days: 1\n---\n`,
  );
  for (const section of SECTIONS) {
    await mkdir(path.join(site.articles, section), { recursive: true });
    await writeFile(path.join(site.articles, section, '_index.md'), `---\ntitle: ${site.sectionTitles[section]}\n---\n`);
  }
  await writeFile(path.join(site.articles, '_authors.yml'), AUTHORS.map((name) => `${name}:\n  bio: ${site.authorBio} (${name})\n`).join(''));
}

/** `build` or `worker-data`, run in this process as bin/feedgen.js runs it, at the site's now; returns what it says. */
async function feedgen(site: Site, command: 'build' | 'worker-data', out: string, ...extra: string[]): Promise<string> {
  let err = '';
  const code = await main([command, '--articles', site.articles, '--out', out, '--now', iso(site.now), ...extra], { out: () => {}, err: (text) => (err += text), stdin: process.stdin, isTTY: false });
  if (code !== 0) throw new Error(`feedgen ${command} exited ${code}: ${err}`);
  return err;
}

/** Every file of a folder: its bytes' hash and (`dated`) its modification time, which static hosts send. */
async function tree(dir: string, dated = true): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const relative = path.relative(dir, file);
    if (entry.isDirectory()) files.set(`${relative}/`, 'folder');
    else files.set(relative, `${dated ? (await stat(file)).mtimeMs : ''} ${createHash('sha256').update(await readFile(file)).digest('hex')}`);
  }
  return files;
}

/** The files a build produced, relative to its folder, in a stable order (what `tamper` picks from). */
async function outputFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name))).sort();
}

async function apply(site: Site, step: Step): Promise<void> {
  const story = site.stories.length > 0 && 'index' in step ? pick(site.stories, step.index) : undefined;
  switch (step.kind) {
    case 'add':
    case 'schedule': {
      const n = ++site.serial;
      const date = step.kind === 'add' ? site.now - step.daysBack * 86_400_000 : site.now + step.ahead * MINUTE;
      const tags = step.kind === 'add' ? [...new Set(step.tags.map((t) => pick(TAGS, t)))] : [pick(TAGS, n)];
      const added: Story = { section: pick(SECTIONS, step.section), slug: `story-${n}`, title: `Story ${n}`, date: Math.floor(date / MINUTE) * MINUTE, tags, author: pick(AUTHORS, step.kind === 'add' ? step.author : n), body: `Body ${n}.` };
      site.stories.push(added);
      return writeStory(site, added);
    }
    case 'edit': {
      if (!story) return;
      if (step.what === 'title') story.title = `${story.title}!`;
      else if (step.what === 'body') story.body = `${story.body} More.`;
      else if (step.what === 'tags') story.tags = story.tags.length > 0 ? story.tags.slice(1) : [pick(TAGS, step.index)];
      else if (step.what === 'author') story.author = pick(AUTHORS, AUTHORS.indexOf(story.author as (typeof AUTHORS)[number]) + 1);
      else story.date -= 30 * 86_400_000;
      return writeStory(site, story);
    }
    case 'move': {
      if (!story) return;
      const from = path.join(site.articles, `${keyOf(story)}.md`);
      story.section = pick(SECTIONS, step.to);
      story.slug = `${story.slug}-m`;
      await mkdir(path.dirname(path.join(site.articles, keyOf(story))), { recursive: true });
      return rename(from, path.join(site.articles, `${keyOf(story)}.md`));
    }
    case 'delete': {
      if (!story) return;
      site.stories.splice(site.stories.indexOf(story), 1);
      return rm(path.join(site.articles, `${keyOf(story)}.md`));
    }
    case 'settings': {
      if (step.which === 'site') site.siteTitle = `${site.siteTitle}+`;
      else if (step.which === 'section') site.sectionTitles[pick(SECTIONS, step.index)] += '+';
      else if (step.which === 'authors') site.authorBio = `${site.authorBio}+`;
      else site.archiveContent = site.archiveContent === 'summary' ? 'full' : 'summary';
      return writeSettings(site);
    }
    case 'drop': {
      const cache = defaultCacheDir(site.articles);
      if (step.what === 'cache') return rm(cache, { recursive: true, force: true });
      if (step.what === 'build-record') {
        await rm(path.join(cache, 'builds'), { recursive: true, force: true });
        return rm(path.join(cache, 'worker-data'), { recursive: true, force: true });
      }
      for (const out of OUTPUTS) await rm(path.join(site.root, out), { recursive: true, force: true });
      return;
    }
    case 'tamper': {
      for (const out of OUTPUTS) {
        const dir = path.join(site.root, out);
        const files = await outputFiles(dir);
        if (files.length === 0) continue;
        const file = path.join(dir, pick(files, step.index));
        if (step.what === 'rewrite') await appendFile(file, 'edited by hand');
        else if (step.what === 'remove') await rm(file);
        else if (step.what === 'add') await writeFile(path.join(path.dirname(file), 'left-behind.txt'), 'not the build');
        else await rm(path.dirname(file), { recursive: true });
      }
      return;
    }
    case 'tick':
      return;
  }
}

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('add' as const), section: fc.nat(2), tags: fc.array(fc.nat(2), { maxLength: 2 }), author: fc.nat(2), daysBack: fc.oneof(fc.constant(0), fc.nat(40)) }), weight: 4 },
  fc.record({ kind: fc.constant('schedule' as const), section: fc.nat(2), ahead: fc.integer({ min: 1, max: 120 }) }),
  { arbitrary: fc.record({ kind: fc.constant('edit' as const), index: fc.nat(), what: fc.constantFrom('title' as const, 'body' as const, 'tags' as const, 'author' as const, 'backdate' as const) }), weight: 3 },
  fc.record({ kind: fc.constant('move' as const), index: fc.nat(), to: fc.nat(2) }),
  fc.record({ kind: fc.constant('delete' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('settings' as const), which: fc.constantFrom('site' as const, 'section' as const, 'authors' as const, 'archive-content' as const), index: fc.nat(2) }),
  fc.record({ kind: fc.constant('drop' as const), what: fc.constantFrom('cache' as const, 'build-record' as const, 'output' as const) }),
  fc.record({ kind: fc.constant('tamper' as const), what: fc.constantFrom('rewrite' as const, 'remove' as const, 'add' as const, 'remove-folder' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('tick' as const) }),
);

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

/** Builds after each step, incrementally and cleanly, and compares the two folders. */
async function holds(steps: Array<[Step, number]>): Promise<number> {
  const root = await mkdtemp(path.join(tmpdir(), 'feedgen-incremental-property-'));
  roots.push(root);
  const site: Site = { root, articles: path.join(root, 'articles'), now: T0, serial: 0, stories: [], siteTitle: 'Desk', sectionTitles: { news: 'News', sport: 'Sport', 'news/local': 'Local' }, authorBio: 'Writes', archiveContent: 'summary', spared: 0 };
  try {
    await writeSettings(site);
    const [dist, assets] = OUTPUTS.map((out) => path.join(root, out)) as [string, string];
    const clean = path.join(root, 'clean');
    await feedgen(site, 'build', dist);
    await feedgen(site, 'worker-data', assets);
    for (const [step, elapsed] of steps) {
      site.now += elapsed * MINUTE;
      await apply(site, step);
      const said = await feedgen(site, 'build', dist);
      const summary = /(\d+) files?, .* in .*: (\d+) written/.exec(said);
      if (summary) site.spared += Number(summary[1]) - Number(summary[2]);
      await rm(clean, { recursive: true, force: true });
      await feedgen(site, 'build', clean, '--no-cache');
      expect(await tree(dist), `after ${JSON.stringify(step)}: the incremental build differs from a clean one`).toEqual(await tree(clean));
      // The Worker's assets: bytes only (wrangler uploads by hash; their dates are in the manifests).
      await feedgen(site, 'worker-data', assets);
      await rm(clean, { recursive: true, force: true });
      await feedgen(site, 'worker-data', clean, '--no-cache');
      expect(await tree(assets, false), `after ${JSON.stringify(step)}: worker-data from the cache differs from a run without it`).toEqual(await tree(clean, false));
    }
    return site.spared;
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

describe('build and worker-data from their cache', () => {
  it(`equal runs without it after every step of ${RUNS} random sequences of up to ${STEPS} edits and accidents (seed ${SEED})`, async () => {
    let spared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(stepArbitrary, fc.integer({ min: 1, max: 24 * 60 })), { minLength: 4, maxLength: STEPS, size: 'max' }), async (steps) => {
        spared += await holds(steps);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: false, verbose: 1 },
    );
    // The property says something only if the builds it compares left files as they were.
    expect(spared).toBeGreaterThan(0);
  }, Math.max(120_000, RUNS * STEPS * 8_000));
});
