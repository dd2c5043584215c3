/**
 * An articles folder -> SiteData + problems (CONTRACT "Articles").
 *
 *   articles/_index.md                  site settings
 *   articles/<section>/_index.md        section settings (any depth)
 *   articles/<section>/<slug>.md        an article of that section
 *   articles/_authors.yml               author profiles (optional; see profiles.ts)
 *   articles/media/…                    files served as they are at /media/… (audio, images, …)
 *   articles/<section>/<slug>/<file>    files beside an article (its page bundle), served under its URL
 *
 * Nothing outside the articles folder is read (folder.ts). Every invalid article is reported and
 * left out; the rest are served. Parse results are kept in a cache keyed by file text and
 * inherited settings, so a reload parses and renders only what changed; a large load parses on
 * every core.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { COLLECTION_FOLDERS, MEDIA_SEGMENT, RESERVED_NAMES, ROBOTS_FILE, articlePath, feedPath, isReservedTopLevelName, scopePath, sectionKey } from '../urls/paths.js';
import { checkNames, linkTranslations, unusedProfiles } from './across.js';
import type { ArticleLines, ArticleResult } from './article.js';
import { FieldReader, type FieldProblem } from './fields.js';
import { parseFrontMatter, parseYamlFile, type FrontMatter } from './frontmatter.js';
import { listFolder, resolveNamed, type FolderListing, type FoundFile, type InsideTest } from './folder.js';
import { checkNamedFiles, namedFiles } from './references.js';
import { loadMediaFiles, type MediaCandidate, type MediaHashes } from './media-files.js';
import type { ArticleData, MediaFile, Problem, SectionData, SiteData, SiteSettings } from './model.js';
import { AUTHORS_FILE, readAuthorProfiles, type ProfilesRead } from './profiles.js';
import { readOwnRobots } from './robots.js';
import { runArticleJobs, type ParallelOptions } from './parallel.js';
import type { ArticleJob, JobOutcome } from './parse-article.js';
import { displayPathsFrom, hash, readText, stampHolds, type FileStamp } from './source.js';
import { singleLine } from './text.js';
import { inherit, inheritFeedSettings, readSectionSettings, readSiteSettings, type Inherited, type SectionSettings } from './settings.js';
import { normalizeBaseUrl } from '../urls/http-url.js';
import { INDEX_FILE, settingsFileOf } from './settings-files.js';

export { INDEX_FILE } from './settings-files.js';

/**
 * Out of memory, to be read back when rendered (runtimes/cache.ts BodySpill): the bodies of a load
 * that parses at least `from` articles. `spill` is given each article just parsed, and returns the
 * article that reads its body from there.
 */
export interface BodySpillTarget {
  from: number;
  spill: (article: ArticleData) => ArticleData;
}

export interface LoadOptions {
  /** --base-url: wins over the site's base_url. */
  baseUrl?: string;
  /** Used when neither --base-url nor base_url is given (the Node server's own address). */
  fallbackBaseUrl?: string;
  /** The cache of an earlier load of the same folder, for incremental reloads. */
  cache?: ParseCache;
  /**
   * With a cache, what changed since it was made: the absolute paths a watcher reported; `'stat'`:
   * every file whose stats still match those its cached parse was read with (see source.ts
   * FileStamp); or `seen`: the same, by the stats the caller took of every file just before, by
   * path in the folder (SourceFile.key), so that no file is looked at twice (a file not among them
   * is read). Cached articles found unchanged are not even read again. Undefined: anything may have
   * changed (every file is read; unchanged texts are not parsed again).
   */
  changed?: ReadonlySet<string> | 'stat' | { seen: ReadonlyMap<string, FileStamp> };
  /** Parsing on worker threads (see parallel.ts). */
  parallel?: ParallelOptions;
  /** Where the bodies of a large load go as articles are parsed (see BodySpillTarget). */
  spill?: BodySpillTarget;
  /** Told as each article is parsed: how many of those to parse (articles the cache spares are not). */
  progress?: (done: number, total: number) => void;
  /** The media files' hashes of an earlier load (media-files.ts): files whose stamp holds are not read again. */
  mediaHashes?: MediaHashes;
  /**
   * The folder whose relative paths name files in messages (the CLI: where it runs, so that a
   * terminal opens them); files outside it are named by absolute path. Default: the articles
   * folder's parent, so that messages read `articles/us/x.md`.
   */
  displayFrom?: string;
}

export interface LoadResult {
  /** Undefined when the site itself is unusable (no base URL). */
  data?: SiteData;
  /** The `base_url` the site's `_index.md` declares, normalized (the site's own address, whatever --base-url says). */
  declaredBaseUrl?: string;
  problems: Problem[];
  cache: ParseCache;
  /** How many threads parsed articles (see parallel.ts); 0 when none was parsed. */
  threads: number;
  /** Articles whose cached parse held without reading them. */
  cached: number;
  /** The media files' hashes, for the next load. */
  mediaHashes: MediaHashes;
  /** Article files left out because they are invalid (drafts are not), with their articles' keys. */
  invalid: InvalidArticle[];
  /** What is worth knowing and needs no change (`info`), for the commands that lint: sections without an _index.md. */
  notes: Problem[];
}

export interface InvalidArticle {
  /** As messages name the file. */
  source: string;
  /** The key its article would have (site/snapshot.ts articleKey): folder names and slug. */
  key: string;
}

export interface CachedParse {
  /** Hash of the file's text. */
  textHash: string;
  /** The file as it was read (absent when it could not be stated). */
  stamp?: FileStamp;
  /** Hash of the text and of everything the article inherits: equal keys parse equally. */
  key: string;
  /**
   * Hash of the settings its folder passes down when it was parsed: with the same text (stamp)
   * and the same path (the cache's key), the same `inherited` means the same `key`, without
   * hashing anything again.
   */
  inherited: string;
  result: ArticleResult;
}

/** Parses by the file's path in the articles folder (SourceFile.key). */
export type ParseCache = Map<string, CachedParse>;

interface SourceFile {
  /** Folder names from the articles folder down to the file's folder. */
  folders: string[];
  name: string;
  /** How messages name it (see LoadOptions.displayFrom), with "/" separators. */
  display: string;
  /** Where it is named (a watcher reports this path). */
  absolute: string;
  /** What is read: the file, or where its symbolic link leads, inside the folder. */
  real: string;
  /** Its path in the articles folder (`us/politics/x.md`): what the parse cache knows it by, wherever the command runs. */
  key: string;
}

const EMPTY_FRONT_MATTER: FrontMatter = { data: {}, keyLines: new Map(), body: '', bodyLine: 1 };

export async function loadSite(articlesDir: string, options: LoadOptions = {}): Promise<LoadResult> {
  const root = path.resolve(articlesDir);
  const problems: Problem[] = [];
  const report = (file: string, list: FieldProblem[]) => {
    for (const p of list) problems.push({ file, ...p });
  };
  const displayOf = displayPathsFrom(options.displayFrom ?? path.dirname(root));
  const listing = listFolder(root);
  for (const { absolute, message } of listing.folders) problems.push({ file: displayOf(absolute), line: 1, severity: 'warning', message });
  const files = markdownFiles(root, listing, displayOf, problems);
  const indexFiles = files.filter((f) => f.name === INDEX_FILE);
  const articleFiles = files.filter((f) => f.name !== INDEX_FILE && !f.name.startsWith('_'));
  const texts = await readAll(indexFiles, problems);

  const siteFile = indexFiles.find((f) => f.folders.length === 0);
  const siteFields = new FieldReader(siteFile ? frontMatterOf(siteFile, texts, problems) ?? EMPTY_FRONT_MATTER : EMPTY_FRONT_MATTER);
  const site = readSiteSettings(siteFields, options.baseUrl, options.fallbackBaseUrl);
  const siteTimezoneInvalid = siteFields.has('timezone') && site?.timezone === undefined;
  report(siteFile?.display ?? displayOf(path.join(root, INDEX_FILE)), siteFields.problems);
  const declared = siteFields.raw('base_url');
  const declaredBaseUrl = typeof declared === 'string' ? normalizeBaseUrl(declared) : undefined;
  const cache: ParseCache = new Map();
  if (!site) return { problems: sortProblems(problems), cache, threads: 0, cached: 0, mediaHashes: options.mediaHashes ?? new Map(), invalid: [], notes: [], ...(declaredBaseUrl ? { declaredBaseUrl } : {}) };

  const sectionSettings = new Map<string, SectionSettings>();
  for (const file of indexFiles) {
    if (file.folders.length === 0) continue;
    const fields = new FieldReader(frontMatterOf(file, texts, problems) ?? EMPTY_FRONT_MATTER);
    const ref = { kind: 'section', section: file.folders } as const;
    sectionSettings.set(sectionKey(file.folders), readSectionSettings(fields, site, `${site.baseUrl}${scopePath(ref)}`, `${site.baseUrl}${feedPath(ref, 'rss')}`));
    report(file.display, fields.problems);
  }
  const sectionPaths = collectSections(files);
  const badFolders = checkFolderNames(sectionPaths, (section) => displayOf(path.join(root, ...section)), problems);
  const chainOf = (section: string[]) => section.map((_, i) => sectionSettings.get(sectionKey(section.slice(0, i + 1))) ?? {});
  const siteFingerprint = JSON.stringify(site);

  // Decide, file by file, whether the cached parse still holds; read and parse only the rest.
  const invalid: InvalidArticle[] = [];
  const leaveOut = (file: SourceFile) => invalid.push({ source: file.display, key: sectionKey([...file.folders, slugOf(file)]) });
  for (const file of articleFiles) if (badFolders.has(sectionKey(file.folders))) leaveOut(file);
  const servable: Array<{ file: SourceFile; collision?: string }> = articleFiles
    .filter((file) => !badFolders.has(sectionKey(file.folders)))
    .map((file) => ({ file, collision: slugCollision(slugOf(file), file.folders, sectionPaths) }));
  // What an article inherits depends only on its folder: worked out once per section.
  const inheritance = new Map<string, { inherited: Inherited; fingerprint: string }>();
  const inheritedBy = (folders: string[]) => {
    const key = sectionKey(folders);
    let entry = inheritance.get(key);
    if (!entry) {
      const inherited = inherit(site, chainOf(folders), siteTimezoneInvalid);
      entry = { inherited, fingerprint: hash(`${siteFingerprint}\0${JSON.stringify(inherited)}`) };
      inheritance.set(key, entry);
    }
    return entry;
  };
  const unchanged = unchangedTest(options);
  const jobs: ArticleJob[] = [];
  const jobFiles: Array<{ key: string; fingerprint: string }> = [];
  for (const { file, collision } of servable) {
    if (collision) continue;
    const { inherited, fingerprint } = inheritedBy(file.folders);
    const cached = options.cache?.get(file.key);
    if (cached && cached.inherited === fingerprint && unchanged(file, cached)) {
      // The same file, named from where this command runs.
      if (cached.result.article) cached.result.article.source = file.display;
      cache.set(file.key, cached);
      continue;
    }
    const slug = slugOf(file);
    const job: ArticleJob = {
      file: file.real,
      source: file.display,
      section: file.folders,
      slug,
      url: `${site.baseUrl}${articlePath(file.folders, slug)}`,
      site,
      inherited,
      context: hash(`${fingerprint}\0${file.key}`),
    };
    if (cached) job.cachedVersion = cached.key;
    jobs.push(job);
    jobFiles.push({ key: file.key, fingerprint });
  }
  const cached = cache.size;
  const { spill, progress } = options;
  const spillOut = spill && jobs.length >= spill.from ? spilling(spill) : undefined;
  let parsedSoFar = 0;
  const settle = (outcome: JobOutcome) => {
    progress?.(++parsedSoFar, jobs.length);
    return spillOut ? spillOut(outcome) : outcome;
  };
  const { outcomes, threads } = await runArticleJobs(jobs, options.parallel, settle);
  outcomes.forEach((outcome, i) => {
    const job = jobs[i] as ArticleJob;
    const { key, fingerprint: inherited } = jobFiles[i] as { key: string; fingerprint: string };
    if (outcome.kind === 'unreadable') problems.push({ file: job.source, line: outcome.line, severity: 'error', message: outcome.message });
    else if (outcome.kind === 'unchanged') {
      const before = options.cache?.get(key) as CachedParse;
      if (before.result.article) before.result.article.source = job.source;
      cache.set(key, { ...before, stamp: outcome.stamp, inherited });
    } else cache.set(key, { textHash: outcome.textHash, key: outcome.version, inherited, result: outcome.result, stamp: outcome.stamp });
  });

  const authorsFile = path.join(root, AUTHORS_FILE);
  const { profiles: authorProfiles, lines: profileLines, textHash: profilesHash } = await readProfiles(authorsFile, listing.inside, displayOf, site.baseUrl, problems);
  const settingsFiles = indexFiles
    .filter((file) => texts.has(file.absolute) && !badFolders.has(sectionKey(file.folders)))
    .map((file) => ({ key: settingsFileOf(file.folders), hash: hash(texts.get(file.absolute) as string) }));
  if (profilesHash !== undefined) settingsFiles.push({ key: AUTHORS_FILE, hash: profilesHash });
  const robots = await readOwnRobots(root, listing.inside);
  if (robots.kind === 'refused') problems.push({ file: displayOf(path.join(root, ROBOTS_FILE)), line: robots.line, severity: 'error', message: robots.message });
  if (robots.kind === 'read') settingsFiles.push({ key: ROBOTS_FILE, hash: robots.textHash });

  const articles: ArticleData[] = [];
  const articleLines: ArticleLines[] = [];
  const articleResults: ArticleResult[] = [];
  const seenIds = new Map<string, string>();
  // Folder and file names are NFC here, as URLs are: "é.md" written decomposed and composed
  // would be one URL. Its section and slug name an article's URL.
  const seenUrls = new Map<string, string>();
  for (const { file, collision } of servable) {
    if (collision) {
      problems.push({ file: file.display, line: 1, severity: 'error', message: collision });
      leaveOut(file);
      continue;
    }
    const parsed = cache.get(file.key);
    if (!parsed) {
      leaveOut(file);
      continue;
    }
    report(file.display, parsed.result.problems);
    const article = parsed.result.article;
    if (parsed.result.draft) continue;
    if (!article) {
      leaveOut(file);
      continue;
    }
    // Only articles that are served claim a URL and an id: a broken file never pushes out a good one.
    const place = `${sectionKey(file.folders)}\0${slugOf(file)}`;
    const urlUse = seenUrls.get(place);
    const idUse = seenIds.get(article.id);
    if (urlUse || idUse) {
      problems.push({
        file: file.display,
        line: urlUse ? 1 : parsed.result.lines.id,
        severity: 'error',
        message: urlUse
          ? `the URL ${site.baseUrl}${articlePath(file.folders, slugOf(file))} is already used by ${urlUse} (the file names differ only in Unicode normalization): rename one of them`
          : `id "${article.id}" is already used by ${idUse}`,
      });
      leaveOut(file);
      continue;
    }
    seenUrls.set(place, file.display);
    seenIds.set(article.id, file.display);
    articles.push(article);
    articleLines.push(parsed.result.lines);
    articleResults.push(parsed.result);
  }

  // Files served as they are: the media folder's, and the page bundles of the articles just served.
  const served = await loadMedia(listing, site.articlePages ? articles : [], options.mediaHashes, displayOf, problems);
  const fileOf = (segments: string[]) => displayOf(path.join(root, ...segments));
  articles.forEach((article, i) => {
    const named = namedFiles(article, articleLines[i] as ArticleLines, articleResults[i] as ArticleResult);
    checkNamedFiles(article, named, site, served.byPath, fileOf, (line, message) => problems.push({ file: article.source, line, severity: 'warning', message }));
  });

  // Across articles: translations linked, names spelled two ways, profiles nobody uses. Lines
  // are looked up only for what is reported.
  let lines: Map<ArticleData, ArticleLines> | undefined;
  const linesOf = (article: ArticleData) => (lines ??= new Map(articles.map((a, i) => [a, articleLines[i] as ArticleLines]))).get(article) as ArticleLines;
  const add = (problem: Problem) => problems.push(problem);
  checkNames(articles, linesOf, site, add);
  for (const profile of unusedProfiles(articles, authorProfiles)) {
    problems.push({ file: displayOf(authorsFile), line: profileLines.get(profile) ?? 1, severity: 'warning', message: `no article lists the author "${profile.name}": a misspelt name?` });
  }
  const linked = linkTranslations(articles, linesOf, add);

  const sections: SectionData[] = [...sectionPaths.values()]
    .filter((section) => !badFolders.has(sectionKey(section)))
    .map((section) => sectionData(section, site, sectionSettings.get(sectionKey(section)) ?? {}, chainOf(section)));
  const notes = untitledSections(sections, new Set(indexFiles.map((file) => sectionKey(file.folders))), (section) => displayOf(path.join(root, ...section)));
  const data: SiteData = { site, sections, articles: linked, authorProfiles, media: served.files, settingsFiles };
  if (robots.kind === 'read') data.robots = robots.text;
  return { data, problems: sortProblems(problems), cache, threads, cached, mediaHashes: served.hashes, invalid, notes, ...(declaredBaseUrl ? { declaredBaseUrl } : {}) };
}

/**
 * The `base_url` the site's `_index.md` declares, normalized, read without loading the site (a
 * server decides from it whether it previews before it loads): undefined when there is none.
 */
export async function declaredBaseUrl(articlesDir: string): Promise<string | undefined> {
  const read = await readText(path.join(articlesDir, INDEX_FILE));
  if (!read.ok) return undefined;
  const parsed = parseFrontMatter(read.text);
  const value = parsed.ok ? parsed.value.data.base_url : undefined;
  return typeof value === 'string' ? normalizeBaseUrl(value) : undefined;
}

function spilling({ spill }: BodySpillTarget): (outcome: JobOutcome) => JobOutcome {
  return (outcome) => {
    if (outcome.kind !== 'parsed' || !outcome.result.article) return outcome;
    return { ...outcome, result: { ...outcome.result, article: spill(outcome.result.article) } };
  };
}

/**
 * How LoadOptions.changed tells a cached article unchanged. Stats are taken one by one, in this
 * thread: for a folder in the page cache that is several times faster than as many promises.
 */
function unchangedTest(options: LoadOptions): (file: SourceFile, cached: CachedParse) => boolean {
  const { changed, cache } = options;
  if (!cache || changed === undefined) return () => false;
  if (changed === 'stat') {
    return (file, cached) => {
      let now;
      try {
        now = statSync(file.absolute, { throwIfNoEntry: false });
      } catch {
        return false;
      }
      return now !== undefined && stampHolds(cached.stamp, now);
    };
  }
  if ('seen' in changed) {
    const { seen } = changed;
    return (file, cached) => {
      const now = seen.get(file.key);
      return now !== undefined && stampHolds(cached.stamp, now);
    };
  }
  return (file) => !changed.has(file.absolute);
}

/** `_authors.yml`, if there is one; `textHash`: of its text, when there is one (the publish ledger dates its changes). */
async function readProfiles(file: string, inside: InsideTest, displayOf: (absolute: string) => string, baseUrl: string, problems: Problem[]): Promise<Omit<ProfilesRead, 'problems'> & { textHash?: string }> {
  const none = { profiles: [], lines: new Map() };
  const resolved = resolveNamed(file, inside);
  if (!resolved) return none;
  if (resolved.real === undefined) {
    problems.push({ file: displayOf(file), line: 1, severity: 'warning', message: `left out: ${resolved.refused ?? 'it cannot be read'}` });
    return none;
  }
  const read = await readText(resolved.real);
  if (!read.ok) {
    problems.push({ file: displayOf(file), line: read.line, severity: 'error', message: read.message });
    return none;
  }
  const textHash = hash(read.text);
  const parsed = parseYamlFile(read.text);
  if (!parsed.ok) {
    for (const p of parsed.problems) problems.push({ file: displayOf(file), severity: 'error', ...p });
    return { ...none, textHash };
  }
  const { problems: found, ...profiles } = readAuthorProfiles(parsed.value, baseUrl);
  for (const p of found) problems.push({ file: displayOf(file), ...p });
  return { ...profiles, textHash };
}

/**
 * The files served as they are: every file of media/, and of each article's page bundle (the
 * folder beside it named by its slug, `news/harbour-reopens/` beside `news/harbour-reopens.md`),
 * the files directly in it. What cannot be served is named in a warning.
 */
async function loadMedia(
  listing: FolderListing,
  articles: readonly ArticleData[],
  previous: MediaHashes | undefined,
  displayOf: (absolute: string) => string,
  problems: Problem[],
): Promise<{ files: MediaFile[]; hashes: MediaHashes; byPath: Map<string, MediaFile> }> {
  const candidates: MediaCandidate[] = listing.media.map((found) => ({ found, path: [MEDIA_SEGMENT, ...found.folders, found.name], servedBy: `${MEDIA_SEGMENT}/` }));
  const bundles = new Set<string>();
  for (const article of articles) {
    const folders = [...article.section, article.slug];
    const key = sectionKey(folders);
    bundles.add(key);
    for (const found of listing.others.get(key) ?? []) {
      // As in media/, names starting with "_" are the site's own (and those with "." are skipped already).
      if (!found.name.startsWith('_')) candidates.push({ found, path: [...folders, found.name], servedBy: 'a page bundle' });
    }
  }
  const warn = (found: FoundFile, message: string) => problems.push({ file: displayOf(found.absolute), line: 1, severity: 'warning', message });
  // Files in a folder below a bundle's: a bundle serves the files directly in it.
  for (const [holder, found] of listing.others) {
    const folders = holder.split('/');
    const bundle = folders.map((_, depth) => sectionKey(folders.slice(0, depth))).find((key) => bundles.has(key));
    if (bundle !== undefined) for (const file of found) warn(file, `not served: a page bundle serves only the files directly in its folder (${bundle}/), not in folders below it`);
  }
  const { files, hashes } = await loadMediaFiles(candidates, previous, warn);
  return { files, hashes, byPath: new Map(files.map((file) => [sectionKey(file.path), file])) };
}

function slugOf(file: SourceFile): string {
  return file.name.slice(0, -'.md'.length);
}

function frontMatterOf(file: SourceFile, texts: Map<string, string>, problems: Problem[]): FrontMatter | undefined {
  const text = texts.get(file.absolute);
  if (text === undefined) return undefined;
  const parsed = parseFrontMatter(text);
  if (parsed.ok) return parsed.value;
  for (const p of parsed.problems) problems.push({ file: file.display, severity: 'error', ...p });
  return undefined;
}

function sectionData(section: string[], site: SiteSettings, settings: SectionSettings, chain: SectionSettings[]): SectionData {
  const { language, editions } = inherit(site, chain);
  const data: SectionData = { path: section, title: settings.title ?? folderTitle(section[section.length - 1] ?? ''), language, editions, ...inheritFeedSettings(site, chain) };
  if (settings.description) data.description = settings.description;
  if (settings.podcast) data.podcast = settings.podcast;
  return data;
}

/** A note for each section without an _index.md, which is titled after its folder. */
function untitledSections(sections: SectionData[], indexed: ReadonlySet<string>, displayOf: (section: string[]) => string): Problem[] {
  return sections
    .filter((section) => !indexed.has(sectionKey(section.path)))
    .map((section) => {
      const folder = displayOf(section.path);
      return { file: folder, line: 1, severity: 'info', message: `the section has no ${INDEX_FILE}, so it is titled "${section.title}" after its folder: give it a title in ${folder}/${INDEX_FILE}` };
    });
}

/**
 * A section without a title is called by its folder name, which may hold anything a file system
 * allows: cleaned like any title, and percent-encoded if nothing readable is left.
 */
function folderTitle(name: string): string {
  return singleLine(name).trim() || encodeURIComponent(name);
}

/** Every folder holding an article or an _index.md, with all its parents; sorted. */
function collectSections(files: SourceFile[]): Map<string, string[]> {
  const sections = new Map<string, string[]>();
  for (const file of files) {
    for (let depth = 1; depth <= file.folders.length; depth++) {
      const section = file.folders.slice(0, depth);
      sections.set(sectionKey(section), section);
    }
  }
  return new Map([...sections].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Reports folders whose name no URL can carry; returns the keys of those left out. */
function checkFolderNames(sections: Map<string, string[]>, displayOf: (section: string[]) => string, problems: Problem[]): Set<string> {
  const bad = new Set<string>();
  for (const [key, section] of sections) {
    const name = section[section.length - 1] ?? '';
    const parentBad = bad.has(sectionKey(section.slice(0, -1)));
    const problem = parentBad ? undefined : nameProblem(name, 'folder', section.length === 1);
    if (parentBad || problem) {
      bad.add(key);
      if (problem) {
        problems.push({ file: displayOf(section), line: 1, severity: 'error', message: `${problem}; its articles are left out (rename the folder)` });
      }
    }
  }
  return bad;
}

/**
 * Why a folder or file name cannot become a URL segment: it would collide with a generated URL,
 * or it holds a backslash, which request paths may not carry (encoded or not).
 */
function nameProblem(name: string, kind: 'folder' | 'file', topLevel: boolean): string | undefined {
  const shown = kind === 'folder' ? name : `${name}.md`;
  if (RESERVED_NAMES.has(name)) return `${kind} name "${shown}" is reserved for generated URLs`;
  if (topLevel && isReservedTopLevelName(name)) {
    const urls = Object.values(COLLECTION_FOLDERS).includes(name) ? `the URLs /${name}/…` : `the URL /${name}`;
    return `${kind} name "${shown}" is reserved at the top of the articles folder for ${urls}`;
  }
  if (name.includes('\\')) return `${kind} name "${shown}" contains a backslash, which URLs cannot carry`;
  if (UNRECORDABLE_NAME.test(name)) return `${kind} name "${shown}" contains a tab or a line break, which the publish ledger cannot record`;
  return undefined;
}

/** What a name may not hold for the publish ledger (one record a line, tab-separated) to record it. */
const UNRECORDABLE_NAME = /[\t\n\r]/;

function slugCollision(slug: string, folders: string[], sections: Map<string, string[]>): string | undefined {
  if (slug === '') return 'an article file needs a name before ".md"';
  const problem = nameProblem(slug, 'file', folders.length === 0);
  if (problem) return `${problem}: rename the file`;
  if (sections.has(sectionKey([...folders, slug]))) {
    return `"${slug}.md" and the folder "${slug}" would share the URL ${articlePath(folders, slug)}: rename one of them`;
  }
  return undefined;
}

/** The listing's Markdown files as the loader reads them; those the boundary refuses are named in a warning. */
function markdownFiles(root: string, listing: FolderListing, displayOf: (absolute: string) => string, problems: Problem[]): SourceFile[] {
  const files: SourceFile[] = [];
  // Usually the articles folder is where messages are named from, or below it: a file's name is
  // then the folder's and its key, without working out a relative path per file.
  const rootShown = displayOf(root);
  const rootInside = !path.isAbsolute(rootShown);
  for (const { folders, name, absolute, key, real, refused } of listing.markdown) {
    const display = rootInside ? (rootShown === '' ? key : `${rootShown}/${key}`) : displayOf(absolute);
    if (real === undefined) problems.push({ file: display, line: 1, severity: 'warning', message: `left out: ${refused ?? 'it cannot be read'}` });
    else files.push({ folders, name, absolute, real, display, key });
  }
  return files.sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0));
}

async function readAll(files: SourceFile[], problems: Problem[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  await Promise.all(
    files.map(async (file) => {
      const read = await readText(file.real);
      if (read.ok) texts.set(file.absolute, read.text);
      else problems.push({ file: file.display, line: read.line, severity: 'error', message: read.message });
    }),
  );
  return texts;
}

function sortProblems(problems: Problem[]): Problem[] {
  return problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}
