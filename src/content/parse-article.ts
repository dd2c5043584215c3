/**
 * One article file -> its parse: read it, hash it, and do the whole per-article work (front matter,
 * fields, time zones, Markdown) with everything it depends on passed in. Self-contained, so the
 * loader can run it on worker threads, where the reading happens too.
 */
import { NO_LINES, readArticle, type ArticleContext, type ArticleResult } from './article.js';
import { parseFrontMatter } from './frontmatter.js';
import { hash, readTextSync, stampFile, type FileStamp } from './source.js';

/** What the per-article work needs: the article's context, less its version, plus its file. */
export interface ArticleJob extends Omit<ArticleContext, 'version' | 'contentHash'> {
  /** Absolute path of the file. */
  file: string;
  /** Hash of everything the article inherits: its version is this and its text's hash. */
  context: string;
  /** The version of an earlier parse: if it still holds, the article is not parsed again. */
  cachedVersion?: string;
}

/** `stamp`: the file as it was just before it was read (see source.ts). */
export type JobOutcome =
  | { kind: 'parsed'; textHash: string; version: string; result: ArticleResult; stamp?: FileStamp }
  | { kind: 'unchanged'; textHash: string; version: string; stamp?: FileStamp }
  | { kind: 'unreadable'; message: string; line: number };

function articleVersion(context: string, textHash: string): string {
  return hash(`${context}\0${textHash}`);
}

export function runArticleJob(job: ArticleJob): JobOutcome {
  const stamp = stampFile(job.file);
  const read = readTextSync(job.file);
  if (!read.ok) return { kind: 'unreadable', message: read.message, line: read.line };
  const textHash = hash(read.text);
  const version = articleVersion(job.context, textHash);
  const stamped = stamp ? { stamp } : {};
  if (version === job.cachedVersion) return { kind: 'unchanged', textHash, version, ...stamped };
  return { kind: 'parsed', textHash, version, result: parseArticle(read.text, job, version, textHash), ...stamped };
}

/** The per-article work on text already read. */
export function parseArticle(text: string, job: Omit<ArticleJob, 'file' | 'context' | 'cachedVersion'>, version: string, contentHash = hash(text)): ArticleResult {
  const parsed = parseFrontMatter(text);
  if (!parsed.ok) {
    return { draft: false, problems: parsed.problems.map((p) => ({ ...p, severity: 'error' as const })), lines: NO_LINES };
  }
  const { source, section, slug, url, site, inherited } = job;
  return readArticle(parsed.value, { source, section, slug, url, site, inherited, version, contentHash });
}
