/**
 * `feedgen build` of 1k / 10k / 100k articles, next to baselines measured in the same run:
 *   - the single-thread floor: read every file, run gray-matter on it and render its Markdown once
 *     (markdown-it), nothing else;
 *   - Hugo, when installed (Debian package `hugo`): the same corpus with the pages and per-section
 *     RSS carrying full content.
 * feedgen runs with `--no-cache` (bench/incremental.ts measures builds from the cache).
 * Prints wall time, peak memory (max RSS) and the ratios; each figure is the median of
 * BENCH_ROUNDS runs, the three measured alternately.
 *
 * Output goes to BENCH_OUT (default: the temporary folder, on the disk, as a newsroom's build
 * writes; every program writes to the same one). The disk of the machines this was written on takes
 * 2-7 s for the same 620 MB depending on what it did just before: BENCH_OUT=/dev/shm takes it out
 * of the comparison (at 100k the output is about 15 GB, more than that tmpfs may hold).
 *
 *   npx tsx bench/build.ts                 (BENCH_SIZES=1000,10000,100000 BENCH_ROUNDS=3)
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureCorpus } from './corpus.js';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Rounds at 100k articles and more, which take minutes each. */
const LARGE_ROUNDS = Number(process.env.BENCH_LARGE_ROUNDS ?? 1);
const OUT_ROOT = process.env.BENCH_OUT ?? tmpdir();

export interface Timed {
  seconds: number;
  peakMiB: number;
}

/** Runs a command under GNU time: wall seconds and max RSS of the whole command. */
export async function timed(command: string, args: string[], cwd = ROOT, onStderr?: (text: string) => void): Promise<Timed> {
  const { stdout, stderr } = await run('/usr/bin/time', ['-f', 'TIMED %e %M', command, ...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
  onStderr?.(stderr);
  const match = /TIMED ([\d.]+) (\d+)/.exec(stderr);
  if (!match) throw new Error(`no timing from ${command}: ${stderr.slice(-500)}`);
  // A command that times its own work (the floor) says so on stdout.
  const own = /^FLOOR ([\d.]+)$/m.exec(stdout);
  return { seconds: Number(own?.[1] ?? match[1]), peakMiB: Number(match[2]) / 1024 };
}

function median(runs: Timed[]): Timed {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return sorted[Math.floor(sorted.length / 2)] as Timed;
}

export function hugoAvailable(): boolean {
  try {
    execFileSync('hugo', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A Hugo site over the same articles folder, doing the same kinds of work as feedgen's default
 * output: an HTML page for every article, section, tag and author and for the home page, and RSS
 * with full content for the home page, every section (its subsections' articles included), every
 * tag and every author, the newest `feed_limit` (50) items each. Hugo writes one format where
 * feedgen writes three, and keeps no archives: feedgen's archives and its other two formats are
 * what the output ratio weighs.
 */
export async function hugoSite(articles: string): Promise<string> {
  const site = await mkdtemp(path.join(tmpdir(), 'feedgen-hugo-'));
  await symlink(articles, path.join(site, 'content'));
  await writeFile(
    path.join(site, 'hugo.toml'),
    [
      'baseURL = "https://news.example.com/"',
      'title = "Bench Newsroom"',
      'disableKinds = ["sitemap", "robotsTXT", "404"]',
      'rssLimit = 50',
      // The corpus's front matter says `tags:` and `author:`.
      '[taxonomies]',
      'tag = "tags"',
      'author = "author"',
      '[outputs]',
      'home = ["HTML", "RSS"]',
      'section = ["HTML", "RSS"]',
      'taxonomy = ["HTML"]',
      'term = ["HTML", "RSS"]',
      '[markup.goldmark.renderer]',
      'unsafe = false',
    ].join('\n'),
  );
  const layouts = path.join(site, 'layouts', '_default');
  await mkdir(layouts, { recursive: true });
  await writeFile(path.join(layouts, 'single.html'), '<!doctype html><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}\n');
  await writeFile(path.join(layouts, 'list.html'), '<!doctype html><title>{{ .Title }}</title><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>\n');
  await writeFile(
    path.join(layouts, 'rss.xml'),
    // The home page's feed holds every article, a section's its subsections' too, a term's its own.
    '{{ $pages := .RegularPagesRecursive }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ else if eq .Kind "term" }}{{ $pages = .Pages }}{{ end }}' +
      '<rss version="2.0"><channel><title>{{ .Title }}</title><link>{{ .Permalink }}</link>' +
      '{{ range first 50 $pages }}<item><title>{{ .Title }}</title><link>{{ .Permalink }}</link>' +
      '<pubDate>{{ .Date.Format "Mon, 02 Jan 2006 15:04:05 -0700" }}</pubDate><guid>{{ .Permalink }}</guid>' +
      '<description>{{ .Content | html }}</description></item>{{ end }}</channel></rss>\n',
  );
  return site;
}

export async function benchBuild(): Promise<void> {
  const hugo = hugoAvailable();
  console.log(`build: corpora of ${SIZES.join(', ')} articles (3-6 KB Markdown, 40 sections); output in ${OUT_ROOT}; median of ${ROUNDS} (${LARGE_ROUNDS} at 100k)${hugo ? '' : '; hugo not installed (apt-get install hugo), so no Hugo column'}\n`);
  console.log('articles   floor s  floor MiB   feedgen s  feedgen MiB   vs floor' + (hugo ? '     hugo s   hugo MiB   vs hugo' : ''));
  for (const size of SIZES) {
    const articles = await ensureCorpus(size);
    const site = hugo ? await hugoSite(articles) : undefined;
    const runs: Record<'floor' | 'feedgen' | 'hugo', Timed[]> = { floor: [], feedgen: [], hugo: [] };
    // Each output is removed before the next program runs: at 100k articles they are gigabytes.
    const inFreshDir = async (measure: (out: string) => Promise<Timed>): Promise<Timed> => {
      const out = await mkdtemp(path.join(OUT_ROOT, 'feedgen-bench-'));
      try {
        return await measure(path.join(out, 'site'));
      } finally {
        await rm(out, { recursive: true, force: true });
      }
    };
    for (let round = 0; round < (size >= 100_000 ? LARGE_ROUNDS : ROUNDS); round++) {
      runs.floor.push(await timed(process.execPath, ['--import', 'tsx', 'bench/floor.ts', articles]));
      runs.feedgen.push(await inFreshDir((out) => timed(process.execPath, ['bin/feedgen.js', 'build', '--articles', articles, '--out', out, '--no-cache'])));
      if (site) runs.hugo.push(await inFreshDir((out) => timed('hugo', ['--quiet', '-s', site, '-d', out])));
    }
    const floor = median(runs.floor);
    const feedgen = median(runs.feedgen);
    let line =
      `${String(size).padStart(8)} ${floor.seconds.toFixed(2).padStart(9)} ${floor.peakMiB.toFixed(0).padStart(10)} ` +
      `${feedgen.seconds.toFixed(2).padStart(11)} ${feedgen.peakMiB.toFixed(0).padStart(12)} ${(feedgen.seconds / floor.seconds).toFixed(2).padStart(9)}x`;
    if (site) {
      const hugoRun = median(runs.hugo);
      line += ` ${hugoRun.seconds.toFixed(2).padStart(10)} ${hugoRun.peakMiB.toFixed(0).padStart(10)} ${(feedgen.seconds / hugoRun.seconds).toFixed(2).padStart(8)}x`;
      await rm(site, { recursive: true, force: true });
    }
    console.log(line);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchBuild();
