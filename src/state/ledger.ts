/**
 * The publish ledger: the site's history, one text file a newsroom commits beside its articles
 * (README, "The publish ledger"). It holds only facts a person would call history; everything a run
 * merely derives (bytes, hashes of representations, Last-Modified) is worked out again from it.
 *
 *   article    <key> <first published> <revised> <id> <text hash> <scopes> [deleted:<at>] [scheduled]
 *   settings   <file> <text hash, or - once removed> <revised>
 *   media      <path> <content hash> <revised>
 *   generator  <output revision> <since>
 *   redirect   <old path> <new path>
 *   clock      <run> …
 *   merge      <fork> <at>
 *
 * `<scopes>` lists every scope the article was ever in, by page path (`/`, `/news/`, `/tags/5g/`,
 * and `~<translation key>` for its group of translations), each with the archive it was sealed
 * into (`#3`) and the instant it left (`@2026-…Z`). Instants are RFC 3339 UTC, whole seconds.
 *
 * The file merges like text: every fact is one line, and git's union merge (`.gitattributes`)
 * keeps both sides' lines. Two lines for one record are then resolved by the rules of `merge*`
 * below, and two `clock` lines say that two histories were joined (history.ts dates what joined).
 * Pure: reading and writing the file is ledger-file.ts's job.
 */
import { formatUtc } from '../time/index.js';

export const LEDGER_FILE = '_ledger.tsv';

/** The git attribute that makes the ledger merge without conflicts (a driver git has built in). */
export const LEDGER_GITATTRIBUTES = `${LEDGER_FILE} merge=union\n`;

/** A scope an article is or was in: the archive it was sealed into, and when it left. */
export interface Membership {
  archive?: number;
  left?: number;
}

export interface ArticleRecord {
  key: string;
  /**
   * First published, epoch ms: the run that first found it live, or its scheduled instant (a
   * scheduled article is recorded ahead of time, with an instant still to come).
   */
  published: number;
  /** When its text (textHash) was last seen to change. */
  revised: number;
  id: string;
  textHash: string;
  /** Scope path (or `~key` of its translations) -> membership. */
  scopes: Map<string, Membership>;
  /** When a run found it gone, or its expiry. */
  deleted?: number;
  /** Recorded ahead of time at its `date`; `published` is still to come while it is pending. */
  scheduled?: true;
}

/** A settings file (`_index.md`, `news/_index.md`, `_authors.yml`) or a media file: its content and when it last changed. */
export interface FileRecord {
  key: string;
  /** REMOVED once the file is gone. */
  hash: string;
  revised: number;
}

export const REMOVED = '-';

/** One run of the ledger's history: its instant and a digest of what it recorded. */
export interface ClockEntry {
  at: number;
  digest: string;
}

/** Facts newer than `fork` joined this history at `at`: a merge of two histories (history.ts). */
export interface MergeRecord {
  fork: number;
  at: number;
}

export interface LedgerProblem {
  line: number;
  message: string;
}

const HEADER = [
  '# feedgen publish ledger, format 2: what was published when. Commit it beside the articles; it',
  '# merges with plain git (.gitattributes: "_ledger.tsv merge=union"). Written by build, serve and',
  '# worker-data, never by a preview. Tab-separated, one record a line; instants in UTC:',
  '#   article <key> <first published> <revised> <id> <text hash> <scopes> [deleted:<at>] [scheduled]',
  '#   settings <file> <hash> <revised>    media <path> <hash> <revised>    generator <revision> <since>',
  '#   redirect <old path> <new path>    clock <run> ...    merge <fork> <at>',
].join('\n');

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

export function parseInstant(text: string | undefined): number | undefined {
  if (text === undefined || !INSTANT.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) || formatUtc(ms) !== text ? undefined : ms;
}

/** HTTP dates and the ledger keep whole seconds. */
export function wholeSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000) * 1000;
}

const DELETED_PREFIX = 'deleted:';
const SCHEDULED_MARK = 'scheduled';
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const utf8 = new TextDecoder();

export class Ledger {
  readonly articles = new Map<string, ArticleRecord>();
  readonly settings = new Map<string, FileRecord>();
  readonly media = new Map<string, FileRecord>();
  /** Old path -> new path. */
  readonly redirects = new Map<string, string>();
  generator: { revision: number; since: number } | undefined;
  /** Each `clock` line: one per history that was joined; one after a run has recorded. */
  clocks: ClockEntry[][] = [];
  readonly merges: MergeRecord[] = [];
  /** Articles this process forgot (a scheduled one removed before its time): a merge must not bring them back. */
  private readonly forgotten = new Set<string>();
  /**
   * Counts the changes made to the records since the ledger was made: whoever changes a record
   * says so (`changed`), so that whether there is anything to save is known without writing the
   * whole ledger out to compare (ledger-file.ts hasNews).
   */
  private changes = 0;

  get revision(): number {
    return this.changes;
  }

  /** Records that something was learnt: a record was added, changed or removed. */
  changed(): void {
    this.changes++;
  }

  /**
   * Reads the text, resolving two lines for one record by the merge rules (a union merge of two
   * branches leaves both). A line that is not a record is a problem; the rest is still read.
   */
  static parse(input: string | Uint8Array): { ledger: Ledger; problems: LedgerProblem[] } {
    const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
    const ledger = new Ledger();
    const problems: LedgerProblem[] = [];
    // Runs stamp many records with one instant: each distinct one is read once.
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
      // Each line decoded on its own: records keep their line alive, not the whole file.
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
    if (fields.some((field) => field === '')) return 'empty field (two tabs in a row, or a tab at the end)';
    const notInstant = (text: string | undefined) => `"${text}" is not an instant such as 2026-11-30T01:20:00Z`;
    switch (kind) {
      case 'article': {
        // Format 1: `article <key> <published> <id> <url> <hash> [<deleted>] [scheduled]`, its second field an instant too.
        if (parseInstant(fields[2]) === undefined) return this.readFormatOneArticle(fields, instant);
        if (fields.length < 6) return `an article record has 6 fields or more after "article", not ${fields.length}`;
        const [key, published, revised, id, textHash, scopes, ...flags] = fields as [string, string, string, string, string, string, ...string[]];
        const publishedMs = instant(published);
        const revisedMs = instant(revised);
        if (publishedMs === undefined) return notInstant(published);
        if (revisedMs === undefined) return notInstant(revised);
        const memberships = parseScopes(scopes, instant);
        if (typeof memberships === 'string') return memberships;
        const record: ArticleRecord = { key, published: publishedMs, revised: revisedMs, id, textHash, scopes: memberships };
        for (const flag of flags) {
          if (flag === SCHEDULED_MARK) record.scheduled = true;
          else if (flag.startsWith(DELETED_PREFIX)) {
            const deleted = instant(flag.slice(DELETED_PREFIX.length));
            if (deleted === undefined) return notInstant(flag.slice(DELETED_PREFIX.length));
            record.deleted = deleted;
          } else return `unknown field "${flag}" (known: ${DELETED_PREFIX}<instant>, ${SCHEDULED_MARK})`;
        }
        const known = this.articles.get(key);
        this.articles.set(key, known ? mergeArticles(known, record) : record);
        return undefined;
      }
      case 'settings':
      case 'media': {
        if (fields.length !== 3) return `a ${kind} record has 3 fields after "${kind}", not ${fields.length}`;
        const [key, hash, revised] = fields as [string, string, string];
        const revisedMs = instant(revised);
        if (revisedMs === undefined) return notInstant(revised);
        const records = kind === 'settings' ? this.settings : this.media;
        const record: FileRecord = { key, hash, revised: revisedMs };
        const known = records.get(key);
        records.set(key, known ? newer(known, record) : record);
        return undefined;
      }
      case 'generator': {
        if (fields.length !== 2) return `a generator record has 2 fields after "generator", not ${fields.length}`;
        const revision = Number(fields[0]);
        const since = instant(fields[1]);
        if (!Number.isInteger(revision) || revision < 1) return `"${fields[0]}" is not an output revision (a whole number)`;
        if (since === undefined) return notInstant(fields[1]);
        // Two lines after a merge: the newer revision, since its earliest.
        const known = this.generator;
        if (!known || revision > known.revision) this.generator = { revision, since };
        else if (revision === known.revision) known.since = Math.min(known.since, since);
        return undefined;
      }
      case 'redirect': {
        const [from, to] = fields;
        if (fields.length !== 2) return `a redirect record has 2 fields after "redirect", not ${fields.length}`;
        if (!from?.startsWith('/') || !to?.startsWith('/')) return 'a redirect goes from a site path to a site path (each starts with "/")';
        const known = this.redirects.get(from);
        this.redirects.set(from, known === undefined || to < known ? to : known);
        return undefined;
      }
      case 'clock': {
        const entries: ClockEntry[] = [];
        for (const field of fields) {
          const [at, digest] = field.split('~');
          const atMs = instant(at);
          if (atMs === undefined || !digest) return `"${field}" is not a run such as 2026-11-30T01:20:00Z~1a2b3c`;
          entries.push({ at: atMs, digest });
        }
        if (entries.length === 0) return 'a clock record names at least one run';
        if (!this.clocks.some((known) => sameClock(known, entries))) this.clocks.push(entries);
        return undefined;
      }
      case 'merge': {
        if (fields.length !== 2) return `a merge record has 2 fields after "merge", not ${fields.length}`;
        const fork = instant(fields[0]);
        const at = instant(fields[1]);
        if (fork === undefined) return notInstant(fields[0]);
        if (at === undefined) return notInstant(fields[1]);
        if (!this.merges.some((m) => m.fork === fork && m.at === at)) this.merges.push({ fork, at });
        return undefined;
      }
      case 'resource':
        // Format 1 dated every representation here: now derived from the history, so dropped.
        return undefined;
      default:
        return `unknown record "${kind}" (known: article, settings, media, generator, redirect, clock, merge)`;
    }
  }

  /**
   * A record of format 1 (`article <key> <published> <id> <url> <hash> [<deleted>] [scheduled]`):
   * read as a format 2 record revised when published, its scopes learnt by the next run.
   */
  private readFormatOneArticle(fields: string[], instant: (text: string | undefined) => number | undefined): string | undefined {
    const scheduled = fields[fields.length - 1] === SCHEDULED_MARK;
    const [key, published, id, , textHash, deleted] = scheduled ? fields.slice(0, -1) : fields;
    if (key === undefined || textHash === undefined) return `an article record has 6 fields or more after "article", not ${fields.length}`;
    const publishedMs = instant(published);
    if (publishedMs === undefined) return `"${published}" is not an instant such as 2026-11-30T01:20:00Z`;
    const deletedMs = instant(deleted);
    if (deleted !== undefined && deletedMs === undefined) return `"${deleted}" is not an instant such as 2026-11-30T01:20:00Z`;
    const record: ArticleRecord = { key, published: publishedMs, revised: publishedMs, id: id as string, textHash, scopes: new Map() };
    if (deletedMs !== undefined) record.deleted = deletedMs;
    if (scheduled) record.scheduled = true;
    const known = this.articles.get(key);
    this.articles.set(key, known ? mergeArticles(known, record) : record);
    return undefined;
  }

  serialize(): string {
    const lines = [HEADER];
    if (this.generator) lines.push(['generator', String(this.generator.revision), formatUtc(this.generator.since)].join('\t'));
    for (const clock of this.clocks) lines.push(['clock', ...clock.map(formatClockEntry)].join('\t'));
    for (const merge of [...this.merges].sort((a, b) => a.at - b.at || a.fork - b.fork)) lines.push(['merge', formatUtc(merge.fork), formatUtc(merge.at)].join('\t'));
    for (const record of sortedByKey(this.settings)) lines.push(['settings', record.key, record.hash, formatUtc(record.revised)].join('\t'));
    for (const record of sortedByKey(this.media)) lines.push(['media', record.key, record.hash, formatUtc(record.revised)].join('\t'));
    for (const a of sortedByKey(this.articles)) {
      const flags = [...(a.deleted === undefined ? [] : [`${DELETED_PREFIX}${formatUtc(a.deleted)}`]), ...(a.scheduled ? [SCHEDULED_MARK] : [])];
      lines.push(['article', a.key, formatUtc(a.published), formatUtc(a.revised), a.id, a.textHash, formatScopes(a.scopes), ...flags].join('\t'));
    }
    for (const [from, to] of this.redirectsInOrder()) lines.push(['redirect', from, to].join('\t'));
    return `${lines.join('\n')}\n`;
  }

  /**
   * The redirects by old path, as the file lists them: the order the site lists them in too, the
   * same whether they were learnt by this run or read (a map's own order is the order they came in).
   */
  redirectsInOrder(): Map<string, string> {
    return new Map([...this.redirects].sort(([a], [b]) => compare(a, b)));
  }

  /** Removes an article that nobody ever saw (scheduled, and gone before its time). */
  forget(key: string): void {
    this.articles.delete(key);
    this.forgotten.add(key);
    this.changed();
  }

  /** A copy, which nothing saves (worker-data tries the future on one). */
  clone(): Ledger {
    return Ledger.parse(this.serialize()).ledger;
  }

  /**
   * Another history joined into this one (the file as another process left it, or a preview's own
   * records over the committed file). When one of them went on from the other, the later one is
   * the history, whole: joining them record by record would undo what the later one learnt (a
   * scope an article left is still joined on the side that has not seen it leave). Otherwise, as
   * a union merge of the two files would, with the same rules.
   */
  absorb(other: Ledger): void {
    const ours = descendsFrom(this.clocks, other.clocks);
    const theirs = descendsFrom(other.clocks, this.clocks);
    if (other.clocks.length > 0 && ours && !theirs) return;
    const before = this.serialize();
    const later = this.clocks.length > 0 && theirs && !ours;
    const source = Ledger.parse(later ? other.serialize() : `${before}${other.serialize()}`).ledger;
    this.articles.clear();
    for (const [key, record] of source.articles) if (later || !this.forgotten.has(key)) this.articles.set(key, record);
    for (const [target, from] of [[this.settings, source.settings], [this.media, source.media], [this.redirects, source.redirects]] as const) {
      target.clear();
      for (const [key, value] of from as Map<string, never>) (target as Map<string, never>).set(key, value);
    }
    this.generator = source.generator;
    // Two writers that both read the file (or both recorded the same run) fork only when neither went on from the other.
    this.clocks = (theirs ? other.clocks : ours ? this.clocks : source.clocks).map((line) => [...line]);
    this.merges.splice(0, this.merges.length, ...source.merges);
    if (this.serialize() !== before) this.changed();
  }
}

/**
 * Two lines for one article (both branches changed it): the earliest first publication, the
 * newer text with its id and path, every scope either knew (the lower archive where both sealed
 * one, the later departure where both saw it leave), and a deletion if either recorded one.
 */
function mergeArticles(a: ArticleRecord, b: ArticleRecord): ArticleRecord {
  const [older, newer] = a.revised < b.revised || (a.revised === b.revised && a.textHash + a.id <= b.textHash + b.id) ? [a, b] : [b, a];
  const scopes = new Map<string, Membership>();
  for (const [scope, membership] of older.scopes) scopes.set(scope, { ...membership });
  for (const [scope, theirs] of newer.scopes) {
    const ours = scopes.get(scope);
    if (!ours) {
      scopes.set(scope, { ...theirs });
      continue;
    }
    const archive = ours.archive === undefined ? theirs.archive : theirs.archive === undefined ? ours.archive : Math.min(ours.archive, theirs.archive);
    // Still in it on either side: the next run decides from the file.
    const left = ours.left === undefined || theirs.left === undefined ? undefined : Math.max(ours.left, theirs.left);
    const merged: Membership = {};
    if (archive !== undefined) merged.archive = archive;
    if (left !== undefined) merged.left = left;
    scopes.set(scope, merged);
  }
  const record: ArticleRecord = { ...newer, published: Math.min(a.published, b.published), scopes };
  const deleted = Math.max(a.deleted ?? Number.NEGATIVE_INFINITY, b.deleted ?? Number.NEGATIVE_INFINITY);
  if (Number.isFinite(deleted)) record.deleted = deleted;
  else delete record.deleted;
  if (a.scheduled && b.scheduled) record.scheduled = true;
  else delete record.scheduled;
  return record;
}

/** Two lines for one file: the later revision (ties: the greater hash, so that both orders agree). */
function newer(a: FileRecord, b: FileRecord): FileRecord {
  if (a.revised !== b.revised) return a.revised > b.revised ? a : b;
  return a.hash >= b.hash ? a : b;
}

/**
 * Whether every history `older` knows is one `newer` went on from: each line's latest run is
 * remembered by a line of `newer`. Then joining them joins nothing.
 */
function descendsFrom(newer: readonly ClockEntry[][], older: readonly ClockEntry[][]): boolean {
  const remembers = (line: readonly ClockEntry[], run: ClockEntry) => line.some((entry) => entry.at === run.at && entry.digest === run.digest);
  return older.every((line) => newer.some((other) => remembers(other, line[0] as ClockEntry)));
}

function sameClock(a: readonly ClockEntry[], b: readonly ClockEntry[]): boolean {
  return a.length === b.length && a.every((entry, i) => entry.at === b[i]?.at && entry.digest === b[i]?.digest);
}

export function formatClockEntry(entry: ClockEntry): string {
  return `${formatUtc(entry.at)}~${entry.digest}`;
}

/** Written for an article in no scope yet (scheduled, or read from format 1). */
const NO_SCOPES = '-';

function parseScopes(field: string, instant: (text: string | undefined) => number | undefined): Map<string, Membership> | string {
  const scopes = new Map<string, Membership>();
  if (field === NO_SCOPES) return scopes;
  for (const token of field.split(' ')) {
    const match = /^([^#@]+)(?:#(\d+))?(?:@(.+))?$/.exec(token);
    if (!match || !(match[1]?.startsWith('/') || match[1]?.startsWith('~'))) return `"${token}" is not a scope such as /news/#3 or /tags/5g/@2026-11-30T01:20:00Z`;
    const membership: Membership = {};
    if (match[2] !== undefined) membership.archive = Number(match[2]);
    if (match[3] !== undefined) {
      const left = instant(match[3]);
      if (left === undefined) return `"${match[3]}" is not an instant such as 2026-11-30T01:20:00Z`;
      membership.left = left;
    }
    scopes.set(match[1], membership);
  }
  return scopes;
}

function formatScopes(scopes: ReadonlyMap<string, Membership>): string {
  if (scopes.size === 0) return NO_SCOPES;
  return [...scopes]
    .sort(([a], [b]) => compare(a, b))
    .map(([scope, { archive, left }]) => `${scope}${archive === undefined ? '' : `#${archive}`}${left === undefined ? '' : `@${formatUtc(left)}`}`)
    .join(' ');
}

function sortedByKey<T extends { key: string }>(map: ReadonlyMap<string, T>): T[] {
  return [...map.values()].sort((a, b) => compare(a.key, b.key));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
