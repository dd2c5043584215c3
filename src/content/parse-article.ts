/**
 * One article file -> its parse: read it, hash it, and do the whole per-article work (front matter,
 * fields, time zones, Markdown) with everything it depends on passed in. Self-contained, so the
 * loader can run it on worker threads, where the reading happens too.
 */
import { readArticle, type ArticleContext, type ArticleResult } from './article.js';
import { parseFrontMatter } from './frontmatter.js';
import { hash, readTextSync } from './source.js';

/** What the per-article work needs: the article's context, less its version, plus its file. */
export interface ArticleJob extends Omit<ArticleContext, 'version' | 'contentHash'> {
  /** Absolute path of the file. */
  file: string;
  /** Hash of everything the article inherits: its version is this and its text's hash. */
  context: string;
  /** The version of an earlier parse: if it still holds, the article is not parsed again. */
  cachedVersion?: string;
}

export type JobOutcome =
  | { kind: 'parsed'; textHash: string; version: string; result: ArticleResult }
  | { kind: 'unchanged'; textHash: string; version: string }
  | { kind: 'unreadable'; message: string };

export function articleVersion(context: string, textHash: string): string {
  return hash(`${context}\0${textHash}`);
}

export function runArticleJob(job: ArticleJob): JobOutcome {
  const read = readTextSync(job.file);
  if (!read.ok) return { kind: 'unreadable', message: read.message };
  const textHash = hash(read.text);
  const version = articleVersion(job.context, textHash);
  if (version === job.cachedVersion) return { kind: 'unchanged', textHash, version };
  return { kind: 'parsed', textHash, version, result: parseArticle(read.text, job, version, textHash) };
}

/** The per-article work on text already read. */
export function parseArticle(text: string, job: Omit<ArticleJob, 'file' | 'context' | 'cachedVersion'>, version: string, contentHash = hash(text)): ArticleResult {
  const parsed = parseFrontMatter(text);
  if (!parsed.ok) {
    return { draft: false, problems: parsed.problems.map((p) => ({ ...p, severity: 'error' as const })), idLine: 1, enclosuresLine: 1 };
  }
  const { source, section, slug, url, site, inherited } = job;
  return readArticle(parsed.value, { source, section, slug, url, site, inherited, version, contentHash });
}
