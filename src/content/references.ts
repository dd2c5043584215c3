/**
 * What `check` says of the site's own files that an article names: a URL under /media/ or under
 * the article's own URL (its page bundle) must name a file the site serves, and an enclosure's
 * `length` must be that file's size. Absolute URLs count as well as relative ones, since the loader
 * has made every URL absolute: `image: harbour.jpg` and `image: /news/harbour-reopens/harbour.jpg`
 * name the same file.
 */
import { MEDIA_SEGMENT, basePathOf, sectionKey } from '../urls/paths.js';
import type { ArticleLines, ArticleResult } from './article.js';
import type { ArticleData, MediaFile, SiteSettings } from './model.js';

/** The files the site serves as they are, by sectionKey of their path, with their size. */
export type ServedFiles = ReadonlyMap<string, MediaFile>;

export interface NamedFile {
  url: string;
  line: number;
  /** What names it, for the message: "image", "enclosure", "link or image". */
  what: string;
  /** An enclosure's stated length. */
  length?: number;
}

/** Every URL an article names that may be one of the site's files: its keys' and its body's. */
export function namedFiles(article: ArticleData, lines: ArticleLines, result: Pick<ArticleResult, 'references'>): NamedFile[] {
  const named: NamedFile[] = [];
  if (article.image) named.push({ url: article.image, line: lines.image, what: 'image' });
  for (const enclosure of article.enclosures ?? []) named.push({ url: enclosure.url, line: lines.enclosures, what: 'enclosure', length: enclosure.length });
  for (const transcript of article.episode?.transcripts ?? []) named.push({ url: transcript.url, line: lines.transcript, what: 'transcript' });
  if (article.episode?.chapters) named.push({ url: article.episode.chapters, line: lines.chapters, what: 'chapters' });
  for (const { url, line } of result.references ?? []) named.push({ url, line, what: 'link or image' });
  return named;
}

/**
 * Warns (through `warn`, at a line) about each named URL of the site's own files that names none,
 * or an enclosure whose length is not its file's size. `fileOf`: how messages name the file a
 * bundle URL would be (its path in the articles folder, from its URL segments).
 */
export function checkNamedFiles(
  article: ArticleData,
  named: readonly NamedFile[],
  site: SiteSettings,
  served: ServedFiles,
  fileOf: (segments: string[]) => string,
  warn: (line: number, message: string) => void,
): void {
  const basePath = basePathOf(site.baseUrl);
  const media = `${site.baseUrl}/${MEDIA_SEGMENT}/`;
  const bundle = site.articlePages ? article.url : undefined;
  for (const { url, line, what, length } of named) {
    const inMedia = url.startsWith(media);
    if (!inMedia && !(bundle !== undefined && url.startsWith(bundle))) continue;
    const segments = segmentsOf(url, basePath);
    // A page (a path ending with "/"), the article's own among them, is no file.
    if (segments === undefined) continue;
    const file = served.get(sectionKey(segments));
    if (!file) {
      warn(line, inMedia ? `the ${what} ${url} names no file of ${MEDIA_SEGMENT}/` : `the ${what} ${url} names no file beside the article: it would be ${fileOf(segments)}`);
    } else if (length !== undefined && length !== file.size) {
      warn(line, `the ${what} ${url} has "length: ${length}", but the file has ${file.size} bytes`);
    }
  }
}

/** The decoded segments of a URL's path below the site's base path; undefined for a page or a path that cannot be decoded. */
function segmentsOf(url: string, basePath: string): string[] | undefined {
  const { pathname } = new URL(url);
  if (pathname.endsWith('/') || !pathname.startsWith(`${basePath}/`)) return undefined;
  try {
    return pathname.slice(basePath.length + 1).split('/').map((segment) => decodeURIComponent(segment).normalize('NFC'));
  } catch {
    return undefined;
  }
}
