/**
 * The history of one articles folder, as every command that publishes it uses it: where the
 * ledger lives, whether this run records history or is a preview, and "now".
 *
 * A run **records** when it publishes the site at its own address: `build`, `worker-data` and
 * `serve` whose base URL is the `base_url` of `_index.md`. What it learns (a new article, an edit,
 * a deletion) is written to the committed ledger. Any other run is a **preview** (`--preview`,
 * `--base-url` elsewhere, a loopback site served on another port): it reads the committed ledger
 * and keeps what it learns in the cache folder, so that its own Last-Modified holds across its
 * restarts, and never writes the ledger. `check` reads it and writes nothing.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ArticleData, Problem, SiteData } from '../content/model.js';
import { SiteSnapshot, articleKey } from '../site/snapshot.js';
import { normalizeTimestamp, parseTimestamp } from '../time/index.js';
import { publicationOf, recordHistory, type HistoryChanges } from './history.js';
import { LEDGER_FILE, Ledger } from './ledger.js';
import { hasNews, readLedger, saveLedger, unwritable, writeFileAtomically } from './ledger-file.js';

export function ledgerFileOf(articlesDir: string): string {
  return path.join(articlesDir, LEDGER_FILE);
}

/** Where a preview keeps what it learnt, in the cache folder. */
export function previewLedgerFile(cacheDir: string): string {
  return path.join(cacheDir, 'preview-ledger.tsv');
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

export interface HistoryOptions {
  /** The run publishes the site at its own address (see recordsHistory): what it learns is history. */
  recording: boolean;
  /** false: nothing is written (`check`, which may run on a read-only checkout). */
  writes: boolean;
  /** The cache folder, where a preview keeps its records (none: they last as long as the process). */
  cacheDir?: string;
  /** How messages name files (relative to where the command runs). */
  display: (absolute: string) => string;
}

/**
 * Whether a run records history: it publishes at the `base_url` its `_index.md` declares (`site`,
 * normalized) and is not told to preview. `baseUrl`: the address it publishes at.
 */
export function recordsHistory(site: string | undefined, baseUrl: string, preview = false): boolean {
  return !preview && site !== undefined && site === baseUrl;
}

export interface Published {
  snapshot: SiteSnapshot;
  changes: HistoryChanges;
  /** Moved articles, as warnings (only where the run publishes at the site's own address). */
  problems: Problem[];
}

/**
 * The history a run publishes with. A ledger that cannot be read is reported once; the run then
 * publishes from a fresh history, saves nothing over the broken file, and takes it up again as soon
 * as it reads (a server whose ledger a person fixes).
 */
export class SiteHistory {
  private ledger: Ledger;
  private broken: boolean;
  /** The text last written to (or read from) the preview's file. */
  private previewText = '';

  private constructor(
    readonly file: string,
    private readonly options: HistoryOptions,
    ledger: Ledger | undefined,
  ) {
    this.ledger = ledger ?? new Ledger();
    this.broken = ledger === undefined;
    if (ledger && !options.recording) this.takePreview();
  }

  static open(articlesDir: string, options: HistoryOptions): { history: SiteHistory; problems: Problem[] } {
    const file = ledgerFileOf(articlesDir);
    const read = readLedger(file);
    const display = options.display(path.resolve(file));
    const problems: Problem[] = read.ok ? [] : read.problems.map((p) => ({ file: display, line: p.line, severity: 'error', message: `ledger: ${p.message}` }));
    return { history: new SiteHistory(file, options, read.ok ? read.ledger : undefined), problems };
  }

  get recording(): boolean {
    return this.options.recording;
  }

  /** Whether the ledger on disk could not be read (and so nothing is saved over it). */
  get unreadable(): boolean {
    return this.broken;
  }

  /** A preview's records from an earlier run, over the committed history. */
  private takePreview(): void {
    const file = this.previewFile();
    if (!file) return;
    try {
      this.previewText = readFileSync(file, 'utf8');
    } catch {
      return;
    }
    const { ledger, problems } = Ledger.parse(this.previewText);
    if (problems.length === 0) this.ledger.absorb(ledger);
  }

  private previewFile(): string | undefined {
    return this.options.cacheDir === undefined ? undefined : previewLedgerFile(this.options.cacheDir);
  }

  /** Records the site at `now` and makes its snapshot. */
  publish(data: SiteData, now: number): Published {
    if (this.broken) this.retry();
    const changes = recordHistory(this.ledger, data, now);
    const snapshot = new SiteSnapshot(data, publicationOf(this.ledger, data, now));
    return { snapshot, changes, problems: this.options.recording ? moveProblems(changes, data.articles) : [] };
  }

  /** The ledger is readable again: what it holds joins what this process learnt meanwhile. */
  private retry(): void {
    const read = readLedger(this.file);
    if (!read.ok) return;
    read.ledger.absorb(this.ledger);
    this.ledger = read.ledger;
    this.broken = false;
  }

  /**
   * Why this run cannot record what it learnt, if it cannot: a recording run with news for a
   * ledger in a read-only folder. Asked before anything is written, so that such a run changes
   * nothing rather than publishing what its history does not hold.
   */
  blocked(): string | undefined {
    if (!this.options.recording || !this.options.writes || this.broken || !hasNews(this.ledger)) return undefined;
    const reason = unwritable(this.file);
    return reason === undefined ? undefined : `cannot record the publish ledger ${this.options.display(path.resolve(this.file))} (${reason}): publish from a writable checkout, or pass --preview to publish without recording`;
  }

  /** A copy of the history as it stands, which nothing saves (worker-data tries the future on one). */
  copy(): Ledger {
    return this.ledger.clone();
  }

  /** Writes what this run learnt where its mode keeps it. Returns lines for the log. */
  async save(): Promise<string[]> {
    if (this.broken) this.retry();
    if (this.broken || !this.options.writes) return [];
    if (!this.options.recording) {
      const file = this.previewFile();
      const text = this.ledger.serialize();
      if (!file || text === this.previewText) return [];
      try {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileAtomically(file, text);
        this.previewText = text;
        return [];
      } catch (error) {
        return [`feedgen: the preview's history was not kept (${(error as Error).message}); its Last-Modified starts afresh at the next start`];
      }
    }
    const saved = await saveLedger(this.file, this.ledger);
    return saved.ok ? [] : saved.problems.map((p) => `${this.options.display(path.resolve(this.file))}:${p.line}: ledger: ${p.message} (not saved: fix or remove the line)`);
  }
}

/** Moves are warnings: readers that saw the article under its old id or URL will show it twice. */
function moveProblems(changes: HistoryChanges, articles: readonly ArticleData[]): Problem[] {
  if (changes.moves.length === 0) return [];
  const byKey = new Map(articles.map((article) => [articleKey(article), article]));
  return changes.moves.map((move) => ({
    file: byKey.get(move.key)?.source ?? move.key,
    line: 1,
    severity: 'warning',
    message:
      move.kind === 'id'
        ? `"id" changed since the article was published (it was ${move.from}): feed readers will show it twice`
        : move.kind === 'url'
          ? `the article moved from ${move.from} since it was published: feed readers may show it twice; the old URL redirects to the new one`
          : `its URL ${move.from} was the address of an article that moved to ${move.to}: links to that article now open this one, and ${move.from} no longer redirects`,
  }));
}
