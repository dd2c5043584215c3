/**
 * The publish ledger: what was published when. One text file a newsroom commits beside its articles
 * (see the README, "The publish ledger"): a line per record, tab-separated, sorted, so that two
 * branches that publish different articles merge without conflict.
 *
 *   article   <key>   <first published>   <id>   <url>   <content hash>   [<deleted at>]
 *   resource  <path>  <bytes since>       <hash>
 *   redirect  <old path>   <new path>
 *
 * Instants are RFC 3339 UTC. A key is an article's folder path and file name without ".md"; a path
 * is site-relative, as served. Pure: reading and writing the file is file.ts's job.
 */
import { formatUtc } from '../time/index.js';

export const LEDGER_FILE = '_ledger.tsv';

export interface ArticleRecord {
  key: string;
  /**
   * Epoch ms it was first published: the run that found it live, or its scheduled instant (a
   * scheduled article is recorded ahead of time, with an instant still to come).
   */
  published: number;
  id: string;
  url: string;
  contentHash: string;
  /** Epoch ms of the run that found it gone, or of its expiry. */
  deleted?: number;
  /**
   * Published on schedule: recorded ahead of time, at its `date` (`published` is still to come
   * while it is pending). Written as a last field, `scheduled`.
   */
  scheduled?: true;
}

const SCHEDULED_MARK = 'scheduled';

export interface ResourceRecord {
  path: string;
  /** Epoch ms of the first run that served these bytes. */
  since: number;
  hash: string;
}

export interface LedgerProblem {
  line: number;
  message: string;
}

/** What a live article tells the ledger about itself. */
export interface PublishedArticle {
  key: string;
  id: string;
  url: string;
  contentHash: string;
}

/** Articles that exist but are not live (see recordArticles): `at` is the instant they are published, or expired. */
export interface ArticleSchedules {
  scheduled: ReadonlyArray<PublishedArticle & { at: number }>;
  expired: ReadonlyArray<{ key: string; at: number }>;
}

const NO_SCHEDULE: ArticleSchedules = { scheduled: [], expired: [] };

export type Move = { kind: 'id' | 'url'; key: string; from: string; to: string };

export interface ArticleChanges {
  added: string[];
  deleted: string[];
  moves: Move[];
}

const HEADER = [
  '# feedgen publish ledger: what was published when. Written by feedgen (build, serve, worker-data);',
  '# commit it beside the articles. Tab-separated, one record a line, sorted; instants in UTC:',
  '#   article <key> <first published> <id> <url> <content hash> [<deleted at>]',
  '#   resource <path> <bytes since> <hash>',
  '#   redirect <old path> <new path>',
].join('\n');

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?Z$/;

function parseInstant(text: string | undefined): number | undefined {
  if (text === undefined || !INSTANT.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || formatUtc(ms) !== text ? undefined : ms;
}

const FIELD = /^[^\t\n\r]+$/;

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const utf8 = new TextDecoder();

/** HTTP dates have whole seconds: a change within the same second must still move Last-Modified. */
function wholeSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}

export class Ledger {
  readonly articles = new Map<string, ArticleRecord>();
  readonly resources = new Map<string, ResourceRecord>();
  /** Old path -> new path. */
  readonly redirects = new Map<string, string>();
  /** Records this process removed, which a merge must not bring back. */
  private readonly removed = new Set<string>();
  /** A digest (file.ts) of the text this ledger was read from or last saved as: saving the same again is skipped. */
  savedDigest = '';

  /**
   * Each line is decoded on its own, which measured faster than splitting the whole text: the
   * records' strings then keep their line alive, not the whole file (a substring holds its
   * parent), and an ASCII line stays one byte a character where other lines name Chinese sections.
   */
  static parse(input: string | Uint8Array): { ledger: Ledger; problems: LedgerProblem[] } {
    const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
    const ledger = new Ledger();
    const problems: LedgerProblem[] = [];
    // A run stamps many records with one instant: each distinct one is read once.
    const instants = new Map<string, number | undefined>();
    const instant = (text: string | undefined): number | undefined => {
      if (text === undefined) return undefined;
      if (!instants.has(text)) instants.set(text, parseInstant(text));
      return instants.get(text);
    };
    let line = 0;
    for (let start = 0; start < bytes.length; ) {
      const newline = bytes.indexOf(NEWLINE, start);
      const end = newline === -1 ? bytes.length : newline;
      line++;
      const text = utf8.decode(bytes.subarray(start, end > start && bytes[end - 1] === CARRIAGE_RETURN ? end - 1 : end));
      start = end + 1;
      if (text.trim() === '' || text.startsWith('#')) continue;
      const [kind, ...fields] = text.split('\t');
      const problem = ledger.readRecord(kind ?? '', fields, instant);
      if (problem) problems.push({ line, message: problem });
    }
    return { ledger, problems };
  }

  /** Why a line is not a record, or undefined when it was read. */
  private readRecord(kind: string, fields: string[], instant: (text: string | undefined) => number | undefined): string | undefined {
    if (fields.some((field) => !FIELD.test(field))) return 'empty field (two tabs in a row, or a tab at the end)';
    switch (kind) {
      case 'article': {
        const scheduled = fields[fields.length - 1] === SCHEDULED_MARK && fields.length > 5;
        const [key, published, id, url, contentHash, deleted] = scheduled ? fields.slice(0, -1) : fields;
        const count = fields.length - (scheduled ? 1 : 0);
        if (count < 5 || count > 6) return `an article record has 5 or 6 fields after "article", not ${fields.length}`;
        const publishedMs = instant(published);
        if (publishedMs === undefined) return `"${published}" is not an instant such as 2026-11-30T01:20:00Z`;
        const deletedMs = instant(deleted);
        if (deleted !== undefined && deletedMs === undefined) return `"${deleted}" is not an instant such as 2026-11-30T01:20:00Z`;
        if (this.articles.has(key as string)) return `article "${key}" is recorded twice`;
        const record: ArticleRecord = { key: key as string, published: publishedMs, id: id as string, url: url as string, contentHash: contentHash as string };
        if (deletedMs !== undefined) record.deleted = deletedMs;
        if (scheduled) record.scheduled = true;
        this.articles.set(record.key, record);
        return undefined;
      }
      case 'resource': {
        const [path, since, hash] = fields;
        if (fields.length !== 3) return `a resource record has 3 fields after "resource", not ${fields.length}`;
        const sinceMs = instant(since);
        if (sinceMs === undefined) return `"${since}" is not an instant such as 2026-11-30T01:20:00Z`;
        if (!path?.startsWith('/')) return `"${path}" is not a site path (it starts with "/")`;
        if (this.resources.has(path)) return `resource "${path}" is recorded twice`;
        this.resources.set(path, { path, since: sinceMs, hash: hash as string });
        return undefined;
      }
      case 'redirect': {
        const [from, to] = fields;
        if (fields.length !== 2) return `a redirect record has 2 fields after "redirect", not ${fields.length}`;
        if (!from?.startsWith('/') || !to?.startsWith('/')) return 'a redirect goes from a site path to a site path (each starts with "/")';
        this.redirects.set(from, to);
        return undefined;
      }
      default:
        return `unknown record "${kind}" (known: article, resource, redirect)`;
    }
  }

  serialize(): string {
    const byKey = <T>(map: Map<string, T>) => [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
    const lines = [HEADER];
    for (const a of byKey(this.articles)) {
      const deleted = a.deleted === undefined ? [] : [formatUtc(a.deleted)];
      lines.push(['article', a.key, formatUtc(a.published), a.id, a.url, a.contentHash, ...deleted, ...(a.scheduled ? [SCHEDULED_MARK] : [])].join('\t'));
    }
    for (const r of byKey(this.resources)) lines.push(['resource', r.path, formatUtc(r.since), r.hash].join('\t'));
    for (const [from, to] of [...this.redirects].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) lines.push(['redirect', from, to].join('\t'));
    return `${lines.join('\n')}\n`;
  }

  /**
   * Brings the article records up to the articles now live, at `now`: new ones are published now,
   * missing ones deleted now, and an article whose id or URL changed is a move (a renamed file is
   * recognized by its content). `pathOf` turns an article URL into a site path, for redirects.
   *
   * `schedule` names the articles that exist but are not live. A scheduled one is recorded as
   * published at its instant, ahead of time, so that whichever run comes after that instant finds
   * it published then (and one that was live is taken down now); an expired one is deleted at its
   * expiry. A record whose instant has not come is nobody's to see: it leaves no tombstone.
   */
  recordArticles(live: readonly PublishedArticle[], clockNow: number, pathOf: (url: string) => string | undefined, schedule: ArticleSchedules = NO_SCHEDULE): ArticleChanges {
    const now = wholeSeconds(clockNow);
    const changes: ArticleChanges = { added: [], deleted: [], moves: [] };
    const presentKeys = new Set([...live, ...schedule.scheduled, ...schedule.expired].map((a) => a.key));
    const pending = (record: ArticleRecord) => record.scheduled === true && record.deleted === undefined && record.published > now;
    // Records of files gone since, by content: a renamed file keeps its publication.
    const goneByContent = new Map<string, ArticleRecord>();
    for (const record of this.articles.values()) {
      if (!presentKeys.has(record.key)) goneByContent.set(record.contentHash, record);
    }
    for (const article of live) {
      let record = this.articles.get(article.key);
      if (!record || record.deleted !== undefined) {
        const renamed = record ? undefined : goneByContent.get(article.contentHash);
        if (renamed) {
          this.forget(renamed.key);
          goneByContent.delete(renamed.contentHash);
          record = { ...renamed, key: article.key };
          delete record.deleted;
        } else if (record) {
          delete record.deleted;
        } else {
          record = { key: article.key, published: now, id: article.id, url: article.url, contentHash: article.contentHash };
          changes.added.push(article.key);
        }
        this.articles.set(article.key, record);
      }
      // Scheduled for later, but live already (its date was brought forward): published now.
      if (pending(record)) record.published = now;
      if (record.id !== article.id) changes.moves.push({ kind: 'id', key: article.key, from: record.id, to: article.id });
      if (record.url !== article.url) {
        changes.moves.push({ kind: 'url', key: article.key, from: record.url, to: article.url });
        this.redirect(pathOf(record.url), pathOf(article.url));
      }
      record.id = article.id;
      record.url = article.url;
      record.contentHash = article.contentHash;
    }
    for (const article of schedule.scheduled) {
      const record = this.articles.get(article.key);
      if (!record || pending(record)) {
        this.articles.set(article.key, { key: article.key, published: article.at, id: article.id, url: article.url, contentHash: article.contentHash, scheduled: true });
      } else if (record.deleted === undefined && record.published <= now) {
        // Live until now, and scheduled again for later: taken down until then.
        record.deleted = now;
        changes.deleted.push(record.key);
      }
    }
    for (const { key, at } of schedule.expired) {
      const record = this.articles.get(key);
      if (!record || record.deleted !== undefined) continue;
      // Scheduled, and expired before its time came: nobody saw it.
      if (record.scheduled && record.published >= at) this.forget(key);
      else {
        record.deleted = Math.max(at, record.published);
        changes.deleted.push(key);
      }
    }
    for (const record of [...this.articles.values()]) {
      if (presentKeys.has(record.key) || record.deleted !== undefined) continue;
      if (pending(record)) this.forget(record.key);
      else {
        record.deleted = now;
        changes.deleted.push(record.key);
      }
    }
    return changes;
  }

  private forget(key: string): void {
    this.articles.delete(key);
    this.removed.add(`article\t${key}`);
  }

  /** The latest instant any bytes were stamped: when a run last served something new. */
  lastStamp(): number | undefined {
    let latest: number | undefined;
    for (const record of this.resources.values()) if (latest === undefined || record.since > latest) latest = record.since;
    return latest;
  }

  /** A copy to try a future on (see worker-data), which nothing saves. */
  clone(): Ledger {
    return Ledger.parse(this.serialize()).ledger;
  }

  private redirect(from: string | undefined, to: string | undefined): void {
    if (from === undefined || to === undefined || from === to) return;
    for (const [old, target] of this.redirects) if (target === from) this.redirects.set(old, to);
    this.redirects.set(from, to);
    this.redirects.delete(to);
  }

  /**
   * The instant the bytes `hash` first appeared at `path`: recorded as `at` (the run's now, or the
   * scheduled instant that made them) when they are new. Never earlier than what was recorded
   * before, so Last-Modified never goes backwards.
   */
  stampResource(path: string, hash: string, at: number): number {
    const now = wholeSeconds(at);
    const known = this.resources.get(path);
    if (known?.hash === hash) return known.since;
    const since = known ? Math.max(now, known.since + 1000) : now;
    this.resources.set(path, { path, since, hash });
    return since;
  }

  /** Drops the records of resources no longer produced. */
  keepResources(paths: ReadonlySet<string>): void {
    for (const path of this.resources.keys()) {
      if (paths.has(path)) continue;
      this.resources.delete(path);
      this.removed.add(`resource\t${path}`);
    }
  }

  /**
   * Merges what another process wrote since this one read the file: every record either side has
   * is kept. For a record both have, this side's state wins (it reflects the folder as this process
   * last read it), but the earlier publication and the later bytes are kept.
   */
  mergeFrom(other: Ledger): void {
    for (const [key, theirs] of other.articles) {
      const ours = this.articles.get(key);
      if (!ours) {
        if (!this.removed.has(`article\t${key}`)) this.articles.set(key, { ...theirs });
      }
      else ours.published = Math.min(ours.published, theirs.published);
    }
    for (const [path, theirs] of other.resources) {
      const ours = this.resources.get(path);
      if (!ours) {
        if (!this.removed.has(`resource\t${path}`)) this.resources.set(path, { ...theirs });
      } else if (ours.hash !== theirs.hash && theirs.since > ours.since) this.resources.set(path, { ...theirs });
      else if (ours.hash === theirs.hash) ours.since = Math.min(ours.since, theirs.since);
    }
    for (const [from, to] of other.redirects) if (!this.redirects.has(from)) this.redirects.set(from, to);
  }
}
