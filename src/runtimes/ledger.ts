/**
 * The publish ledger of an articles folder, for the runtimes that publish from Node (serve, build,
 * worker-data) and for check: where it lives, what "now" is, and its problems as `path:line`.
 */
import path from 'node:path';
import type { ArticleData, Problem } from '../content/model.js';
import { readLedger, saveLedger } from '../ledger/file.js';
import { LEDGER_FILE, type ArticleChanges, type Ledger } from '../ledger/ledger.js';
import { changedTopics } from '../publish/publication.js';
import { articleKey, type SiteSnapshot } from '../site/snapshot.js';
import { normalizeTimestamp, parseTimestamp } from '../time/index.js';
import { describePings, pingHub } from './websub.js';

export function ledgerFileOf(articlesDir: string): string {
  return path.join(articlesDir, LEDGER_FILE);
}

/**
 * "Now" for publishing: `--now` (an RFC 3339 instant) when given, else SOURCE_DATE_EPOCH (seconds,
 * for reproducible builds and tests) when set, else the clock.
 */
export function publishingNow(nowOption?: string, env: Record<string, string | undefined> = process.env): () => number {
  if (nowOption !== undefined) {
    const fixed = parseInstantOption(nowOption);
    return () => fixed;
  }
  const fixed = env.SOURCE_DATE_EPOCH;
  if (fixed === undefined || fixed === '') return () => Date.now();
  if (!/^\d{1,12}$/.test(fixed)) throw new Error(`SOURCE_DATE_EPOCH must be whole seconds since 1970, not "${fixed}"`);
  return () => Number(fixed) * 1000;
}

/** `--now`: a timestamp with its offset (`2030-01-01T08:00:00Z`, `…+08:00`), in the grammar of `date`. */
export function parseInstantOption(text: string): number {
  const parsed = parseTimestamp(text);
  if (!parsed.ok || parsed.value.offsetSeconds === undefined) throw new Error(`--now must be an RFC 3339 instant with its offset, such as 2030-01-01T08:00:00Z, not "${text}"`);
  const result = normalizeTimestamp(text);
  if (!result.ok) throw new Error(`--now: ${result.error}`);
  return result.instant.epochMs;
}

/** `display`: how messages name the ledger file. */
export function openLedger(file: string, display: string): { ledger: Ledger; problems: [] } | { ledger?: undefined; problems: Problem[] } {
  const read = readLedger(file);
  if (read.ok) return { ledger: read.ledger, problems: [] };
  return { problems: read.problems.map((p) => ({ file: display, line: p.line, severity: 'error', message: `ledger: ${p.message}` })) };
}

/** Moves are warnings: readers that saw the article under its old id or URL will show it twice. */
export function moveProblems(changes: ArticleChanges, articles: readonly ArticleData[]): Problem[] {
  const byKey = new Map(articles.map((article) => [articleKey(article), article]));
  return changes.moves.map((move) => ({
    file: byKey.get(move.key)?.source ?? move.key,
    line: 1,
    severity: 'warning',
    message:
      move.kind === 'id'
        ? `"id" changed since the article was published (it was ${move.from}): feed readers will show it twice`
        : `the article moved from ${move.from} since it was published: feed readers may show it twice; the old URL redirects to the new one`,
  }));
}

/**
 * After a run that published `snapshot`: keeps the records of the resources it produced (`produced`,
 * site paths; undefined: all recorded stay), saves the ledger, and tells the hub which subscription
 * feeds got new bytes (`changed`). Returns lines for the log.
 */
export async function settleLedger(
  file: string,
  ledger: Ledger,
  snapshot: SiteSnapshot,
  changed: ReadonlySet<string>,
  produced?: ReadonlySet<string>,
): Promise<string[]> {
  if (produced) ledger.keepResources(produced);
  const saved = await saveLedger(file, ledger);
  const lines = saved.ok ? [] : saved.problems.map((p) => `${file}:${p.line}: ledger: ${p.message} (not saved: fix or remove the line)`);
  const { hub } = snapshot.site;
  const topics = hub ? changedTopics(snapshot, changed) : [];
  if (hub && topics.length > 0) lines.push(...describePings(hub, await pingHub(hub, topics)));
  return lines;
}
