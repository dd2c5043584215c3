/**
 * The publish ledger meets the site. `recordHistory` brings the ledger up to the articles and
 * settings as they are at "now" (what is new, edited, moved, gone; which scopes each article is
 * in; which archives are full), and `publicationOf` reads the history back as the snapshot's
 * Publication: archives, departures, and when everything last changed, as readers could first see
 * it. Every runtime records before it publishes, so all of them derive the same site from the same
 * history (README, "The publish ledger").
 */
import { createHash } from 'node:crypto';
import type { ArticleData, SiteData } from '../content/model.js';
import { AUTHORS_FILE, settingsFileOf } from '../content/settings-files.js';
import { membershipsOf } from '../site/membership.js';
import { newsAgeOut, scheduleOf, stateAt } from '../site/schedule.js';
import { articleKey, type ArchiveMember, type Departure, type Publication, type ScopeHistory } from '../site/snapshot.js';
import { articlePath, scopePath, type ScopeKind } from '../urls/paths.js';
import { REMOVED, formatClockEntry, wholeSeconds, type ArticleRecord, type ClockEntry, type FileRecord, type Ledger, type Membership, type MergeRecord } from './ledger.js';

/**
 * The revision of what feedgen writes. Raise it with every change to the bytes or headers of any
 * resource: the first run of the new version records it, and everything is dated from then on, so
 * that a poller holding older bytes never gets 304 for new ones. tests/structure/output-revision
 * fails when the bundled site's output changed and this did not.
 */
export const OUTPUT_REVISION = 5;

/** Runs a `clock` line remembers: where two histories forked is found among them. */
const CLOCK_RUNS = 16;

/**
 * `id`: the article's id changed; `url`: its file was renamed or moved, and its old page redirects;
 * `reused`: its page is at a URL that an article moved away from (readers of old links land here).
 */
export type Move = { kind: 'id' | 'url' | 'reused'; key: string; from: string; to: string };

export interface HistoryChanges {
  added: string[];
  deleted: string[];
  /** Articles whose id or page moved since they were published. */
  moves: Move[];
  /**
   * The latest run before this one: whatever changed later (by this run's records, or on a
   * schedule since) is new to readers, and its subscription feeds are what a WebSub hub hears of.
   */
  since: number;
}

/** A ledger token for an article's group of translations. */
function translationToken(key: string): string {
  return `~${encodeURIComponent(key)}`;
}

/**
 * Brings `ledger` up to the site at `now`: live articles are published (new ones now; a renamed
 * file, known by its text, keeps its publication), edited ones revised, missing ones deleted, and
 * each article's scopes recorded with the instant it left any it is no longer in. A scheduled
 * article is recorded ahead of time as published at its instant, so that whichever run comes after
 * that instant finds it published then; an expired one is deleted at its expiry. Settings and media
 * files are dated when their text changes, and archives that are full are sealed.
 */
export function recordHistory(ledger: Ledger, data: SiteData, now: number): HistoryChanges {
  const revisionBefore = ledger.revision;
  const since = latestRun(ledger);
  const at = wholeSeconds(now) > since ? wholeSeconds(now) : since + 1000;
  const changes: HistoryChanges = { added: [], deleted: [], moves: [], since };
  const live: ArticleData[] = [];
  const scheduled: ArticleData[] = [];
  const expired: ArticleData[] = [];
  for (const article of data.articles) {
    const state = stateAt(scheduleOf(article), wholeSeconds(now));
    (state === 'live' ? live : state === 'scheduled' ? scheduled : expired).push(article);
  }
  const pending = (record: ArticleRecord) => record.scheduled === true && record.deleted === undefined && record.published > wholeSeconds(now);
  const present = new Set(data.articles.map(articleKey));
  // Records of files gone since, by text: a renamed file keeps its publication and its scopes.
  const goneByText = new Map<string, ArticleRecord>();
  for (const record of ledger.articles.values()) if (!present.has(record.key)) goneByText.set(record.textHash, record);

  const memberships = membershipsOf(data, live);
  for (const article of live) {
    const key = articleKey(article);
    let record = ledger.articles.get(key);
    if (!record) {
      const renamed = goneByText.get(article.contentHash);
      if (renamed) {
        goneByText.delete(renamed.textHash);
        const from = pagePath(renamed.key);
        changes.moves.push({ kind: 'url', key, from, to: pagePath(key) });
        redirect(ledger, from, pagePath(key));
        if (renamed.id === article.id) {
          // The same entry (its id is its own): its record, archives and all, moves with the file.
          ledger.articles.delete(renamed.key);
          record = { ...renamed, key, revised: at };
          if (record.deleted !== undefined) leaveAll(record, record.deleted);
          delete record.deleted;
        } else {
          // A new entry (its id was its old URL): the old one is gone from the archives it was in, where
          // it stays as a tombstone, and the new one keeps the first publication, waiting for an archive.
          if (renamed.deleted === undefined) {
            renamed.deleted = at;
            changes.deleted.push(renamed.key);
          }
          record = { key, published: renamed.published, revised: at, id: article.id, textHash: article.contentHash, scopes: new Map() };
        }
      } else {
        record = { key, published: at, revised: at, id: article.id, textHash: article.contentHash, scopes: new Map() };
        changes.added.push(key);
      }
      ledger.articles.set(key, record);
      ledger.changed();
    } else if (record.deleted !== undefined) {
      // Back after it was deleted: it keeps its first publication; it left its scopes then, and its
      // return is news to each (Last-Modified must move past the tombstone it replaces).
      leaveAll(record, record.deleted);
      delete record.deleted;
      record.revised = at;
      ledger.changed();
    }
    // Scheduled for later, but live already (its date was brought forward): published now.
    if (pending(record) && record.published !== at) {
      record.published = at;
      ledger.changed();
    }
    if (record.id !== article.id) changes.moves.push({ kind: 'id', key, from: record.id, to: article.id });
    // An article at a URL another one moved away from: the URL is this one's now, not a redirect.
    const movedAway = ledger.redirects.get(pagePath(key));
    if (movedAway !== undefined) {
      changes.moves.push({ kind: 'reused', key, from: pagePath(key), to: movedAway });
      ledger.redirects.delete(pagePath(key));
      ledger.changed();
    }
    if (record.textHash !== article.contentHash || record.id !== article.id) {
      if (record.textHash !== article.contentHash) record.revised = at;
      Object.assign(record, { id: article.id, textHash: article.contentHash });
      ledger.changed();
    }
    const current = memberships.of(article).map(scopePath);
    if (article.translationKey !== undefined) current.push(translationToken(article.translationKey));
    for (const token of current) {
      const membership = record.scopes.get(token);
      if (!membership) record.scopes.set(token, {});
      else if (membership.left !== undefined) {
        // Back in a scope it had left: dated now, or the scope would date its return before the departure.
        delete membership.left;
        record.revised = at;
      } else continue;
      ledger.changed();
    }
    for (const [token, membership] of record.scopes) {
      if (membership.left === undefined && !current.includes(token)) {
        membership.left = at;
        ledger.changed();
      }
    }
  }
  for (const article of scheduled) {
    const key = articleKey(article);
    const record = ledger.articles.get(key);
    const { publishAt } = scheduleOf(article);
    if (!record || pending(record)) {
      const revised = record && record.textHash === article.contentHash ? record.revised : at;
      const next: ArticleRecord = { key, published: publishAt, revised, id: article.id, textHash: article.contentHash, scopes: record?.scopes ?? new Map(), scheduled: true };
      if (!record || record.published !== next.published || record.revised !== next.revised || record.id !== next.id || record.textHash !== next.textHash) {
        ledger.articles.set(key, next);
        ledger.changed();
      }
    } else if (record.deleted === undefined) {
      // Live until now, and scheduled again for later: taken down until then.
      record.deleted = at;
      changes.deleted.push(key);
      ledger.changed();
    }
  }
  for (const article of expired) {
    const key = articleKey(article);
    const record = ledger.articles.get(key);
    const expiresAt = scheduleOf(article).expiresAt as number;
    if (!record || record.deleted !== undefined) continue;
    // Scheduled, and expired before its time came: nobody saw it.
    if (record.scheduled && record.published >= expiresAt) ledger.forget(key);
    else {
      record.deleted = Math.max(expiresAt, record.published);
      changes.deleted.push(key);
      ledger.changed();
    }
  }
  for (const record of [...ledger.articles.values()]) {
    if (present.has(record.key) || record.deleted !== undefined) continue;
    if (pending(record)) ledger.forget(record.key);
    else {
      record.deleted = at;
      changes.deleted.push(record.key);
      ledger.changed();
    }
  }
  recordFiles(ledger, ledger.settings, data.settingsFiles, at);
  recordFiles(ledger, ledger.media, data.media.map((file) => ({ key: file.path.join('/'), hash: file.hash })), at);
  if (ledger.generator?.revision !== OUTPUT_REVISION) {
    ledger.generator = { revision: OUTPUT_REVISION, since: at };
    ledger.changed();
  }
  const members = membersByScope(ledger, new Map(live.map((a) => [articleKey(a), a])));
  sealArchives(ledger, members, data.site.archiveSize, data.site.archiveKinds);

  if (ledger.revision !== revisionBefore) {
    // The run is named by a digest of the records it leaves.
    const digest = createHash('sha256').update(ledger.serialize()).digest('hex').slice(0, 8);
    const joined = pendingMerge(ledger, data, now);
    if (joined) ledger.merges.push(joined);
    const runs = new Map<string, ClockEntry>();
    for (const entry of ledger.clocks.flat()) runs.set(formatClockEntry(entry), entry);
    const earlier = [...runs.values()].sort((a, b) => b.at - a.at || (a.digest < b.digest ? -1 : 1));
    ledger.clocks = [[{ at, digest }, ...earlier].slice(0, CLOCK_RUNS)];
    ledger.changed();
  }
  // publicationOf at the same now reads the same members, unless the ledger changes meanwhile.
  recordedMembers.set(ledger, { revision: ledger.revision, data, now: wholeSeconds(now), members });
  return changes;
}

/**
 * The instant of the latest run that recorded something. A run records what it finds at now, but
 * always after it, so that new facts move Last-Modified forward even when two runs fall in one
 * second or the clock went back.
 */
function latestRun(ledger: Ledger): number {
  let latest = Number.NEGATIVE_INFINITY;
  if (ledger.clocks.length > 0) for (const entry of ledger.clocks.flat()) latest = Math.max(latest, entry.at);
  else {
    // A ledger of format 1 has no runs: its facts stand in for them.
    for (const record of ledger.articles.values()) latest = Math.max(latest, record.scheduled ? record.revised : record.published, record.revised, record.deleted ?? latest);
  }
  return latest;
}

function leaveAll(record: ArticleRecord, at: number): void {
  for (const membership of record.scopes.values()) membership.left ??= at;
}

function redirect(ledger: Ledger, from: string, to: string): void {
  if (from === to) return;
  for (const [old, target] of ledger.redirects) if (target === from) ledger.redirects.set(old, to);
  ledger.redirects.set(from, to);
  ledger.redirects.delete(to);
}

function recordFiles(ledger: Ledger, records: Map<string, FileRecord>, files: ReadonlyArray<{ key: string; hash: string }>, at: number): void {
  const seen = new Set<string>();
  for (const { key, hash } of files) {
    seen.add(key);
    const record = records.get(key);
    if (record?.hash === hash) continue;
    records.set(key, { key, hash, revised: at });
    ledger.changed();
  }
  for (const record of records.values()) {
    if (seen.has(record.key) || record.hash === REMOVED) continue;
    Object.assign(record, { hash: REMOVED, revised: at });
    ledger.changed();
  }
}

/** The site path of an article's page, from its key (`news/x` -> `/news/x/`). */
function pagePath(key: string): string {
  const names = key.split('/');
  return articlePath(names.slice(0, -1), names[names.length - 1] as string);
}

/** The kind of scope a page path names: `/` the site, `/tags/x/` a tag, …, any other a section. */
function kindOfToken(token: string): ScopeKind {
  if (token === '/') return 'site';
  const [first, , rest] = token.slice(1).split('/');
  if (rest === '') {
    if (first === 'tags') return 'tag';
    if (first === 'authors') return 'author';
    if (first === 'editions') return 'edition';
  }
  return 'section';
}

/** The scope key (urls/paths.ts scopeKey) of a page path. */
function scopeKeyOfToken(token: string): string {
  return token.split('/').filter(Boolean).map(decodeURIComponent).join('/');
}

/** A scope's member: its record, and its membership of that scope. */
interface Member {
  record: ArticleRecord;
  membership: Membership;
}

/** Scopes' members as recordHistory last left them, for publicationOf at the same now. */
const recordedMembers = new WeakMap<Ledger, { revision: number; data: SiteData; now: number; members: Map<string, Member[]> }>();

/**
 * Every scope's members (page path -> records), each list in publication order: first published,
 * then the article's own date (a first run publishes many at once), then key. One sort of every
 * record; each scope's list is then filled in that order.
 */
function membersByScope(ledger: Ledger, live: ReadonlyMap<string, ArticleData>): Map<string, Member[]> {
  const records = [...ledger.articles.values()];
  const published = records.map((record) => record.published);
  const dates = records.map((record) => live.get(record.key)?.published.epochMs ?? record.published);
  const order = records
    .map((_, i) => i)
    .sort((a, b) => (published[a] as number) - (published[b] as number) || (dates[a] as number) - (dates[b] as number) || compareKeys((records[a] as ArticleRecord).key, (records[b] as ArticleRecord).key));
  const members = new Map<string, Member[]>();
  for (const i of order) {
    const record = records[i] as ArticleRecord;
    for (const [token, membership] of record.scopes) {
      if (!token.startsWith('/')) continue;
      let list = members.get(token);
      if (!list) members.set(token, (list = []));
      list.push({ record, membership });
    }
  }
  return members;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Archives of `size` members, sealed in publication order, in the scopes whose kind keeps them.
 * A sealed archive keeps its members, whoever joins or leaves later. After a merge of two
 * histories that each sealed one archive differently, the archive keeps the members published
 * first and the others go back to be sealed in a later one; an archive left short (the size
 * changed) is unsealed with every one after it, and they are sealed again.
 */
function sealArchives(ledger: Ledger, members: ReadonlyMap<string, Member[]>, size: number, kinds: readonly ScopeKind[]): void {
  const setArchive = ({ membership }: Member, archive: number | undefined) => {
    if (membership.archive === archive) return;
    if (archive === undefined) delete membership.archive;
    else membership.archive = archive;
    ledger.changed();
  };
  for (const [token, list] of members) {
    if (!kinds.includes(kindOfToken(token))) {
      for (const member of list) setArchive(member, undefined);
      continue;
    }
    const claims = new Map<number, Member[]>();
    for (const member of list) {
      const { archive } = member.membership;
      if (archive === undefined) continue;
      let claim = claims.get(archive);
      if (!claim) claims.set(archive, (claim = []));
      claim.push(member);
    }
    const sealed = new Set<Member>();
    let archive = 1;
    for (; (claims.get(archive)?.length ?? 0) >= size; archive++) for (const member of (claims.get(archive) as Member[]).slice(0, size)) sealed.add(member);
    const tail = sealed.size === 0 ? list : list.filter((member) => !sealed.has(member));
    const full = Math.floor(tail.length / size) * size;
    tail.forEach((member, i) => setArchive(member, i < full ? archive + Math.floor(i / size) : undefined));
  }
}

/**
 * Two `clock` lines: two histories joined (a union merge of two branches that both recorded).
 * Facts newer than their last common run are dated just after the later of the two, when readers
 * of either side could first see the other's, and after every change the site made on its own
 * schedule before `now` (a scheduled article going out, an expiry): readers of either side may
 * have seen those dated so without any run, and what the merge brings must move Last-Modified
 * past them. Once a run records it, every machine reads the same instant from the ledger.
 */
function pendingMerge(ledger: Ledger, data: SiteData, now: number): MergeRecord | undefined {
  const { clocks } = ledger;
  if (clocks.length < 2) return undefined;
  const lines = clocks.map((line) => new Set(line.map(formatClockEntry)));
  const all = clocks.flat();
  const common = all.filter((entry) => lines.every((line) => line.has(formatClockEntry(entry))));
  // No common run among those remembered: everything either side recorded is dated anew.
  const fork = common.length > 0 ? Math.max(...common.map((entry) => entry.at)) : 0;
  return { fork, at: Math.max(...all.map((entry) => entry.at), latestScheduledChange(ledger, data, wholeSeconds(now))) + 1000 };
}

/**
 * The latest instant before `now` at which the site changed with no run: a scheduled article's
 * publication (recorded ahead of time), an article's expiry, a tombstone aging out of its Atom
 * feeds, an article aging out of the news sitemap. Strictly before: the run at `now` dates its
 * own facts at `now` or later, and a merge must not be dated after them.
 */
function latestScheduledChange(ledger: Ledger, data: SiteData, now: number): number {
  let latest = Number.NEGATIVE_INFINITY;
  const passed = (t: number) => {
    if (t < now) latest = Math.max(latest, t);
  };
  const tombstoneSpan = data.site.tombstoneDays * 86_400_000;
  // A departure is seen when the merges already settled date it.
  const settled = seenThrough(ledger.merges);
  for (const record of ledger.articles.values()) {
    if (record.scheduled) passed(record.published);
    if (record.deleted !== undefined) passed(settled(record.deleted) + tombstoneSpan);
    for (const membership of record.scopes.values()) if (membership.left !== undefined) passed(settled(membership.left) + tombstoneSpan);
  }
  for (const article of data.articles) {
    const { expiresAt } = scheduleOf(article);
    if (expiresAt !== undefined) passed(expiresAt);
    if (data.site.articlePages) passed(newsAgeOut(article));
  }
  return latest;
}

/** The instant readers could first see a fact recorded at `t`, given `merges`: the end of every merge that brought it in. */
function seenThrough(merges: readonly MergeRecord[]): (t: number) => number {
  if (merges.length === 0) return (t) => t;
  return (t) => {
    let seen = t;
    for (const { fork, at } of merges) if (fork < t && t <= at) seen = Math.max(seen, at);
    return seen;
  };
}

/** When each file (settings, media) last changed, as readers could first see it. */
function filesChanged(records: ReadonlyMap<string, FileRecord>, visible: (t: number) => number): Map<string, number> {
  return new Map([...records.values()].map((record) => [record.key, visible(record.revised)]));
}

/**
 * The history as the snapshot at `now` sees it, after recordHistory at the same `now`: each
 * scope's archives, tail and departures, and when each article, scope, settings file and media
 * file last changed.
 */
export function publicationOf(ledger: Ledger, data: SiteData, now: number): Publication {
  const merging = pendingMerge(ledger, data, now);
  const visible = seenThrough(merging ? [...ledger.merges, merging] : ledger.merges);
  const live = new Map<string, ArticleData>();
  for (const article of data.articles) if (stateAt(scheduleOf(article), wholeSeconds(now)) === 'live') live.set(articleKey(article), article);
  let goneAsOfNow = false;
  const left = (record: ArticleRecord, membership: Membership | undefined): number | undefined => {
    if (membership?.left !== undefined) return visible(membership.left);
    if (record.deleted !== undefined) return visible(record.deleted);
    if (live.has(record.key)) return undefined;
    goneAsOfNow = true;
    return wholeSeconds(now);
  };
  const own = (record: ArticleRecord) => visible(Math.max(record.published, record.revised));

  const groups = new Map<string, number>();
  for (const record of ledger.articles.values()) {
    for (const [token, membership] of record.scopes) {
      if (!token.startsWith('~')) continue;
      const changed = left(record, membership) ?? own(record);
      groups.set(token, Math.max(groups.get(token) ?? 0, changed));
    }
  }
  const settingsChanged = filesChanged(ledger.settings, visible);
  // What an article inherits (its zone, language, editions) comes from its sections' settings files.
  const inherited = (section: readonly string[]) => {
    let latest = settingsChanged.get(AUTHORS_FILE) ?? 0;
    for (let depth = 0; depth <= section.length; depth++) latest = Math.max(latest, settingsChanged.get(settingsFileOf(section.slice(0, depth))) ?? 0);
    return latest;
  };
  const articleChanged = new Map<string, number>();
  for (const [key, article] of live) {
    const record = ledger.articles.get(key);
    if (!record) continue;
    const group = article.translationKey === undefined ? undefined : groups.get(translationToken(article.translationKey));
    articleChanged.set(key, Math.max(own(record), group ?? 0, inherited(article.section)));
  }

  const scopes = new Map<string, ScopeHistory>();
  let latest = 0;
  const recorded = recordedMembers.get(ledger);
  const members = recorded && recorded.revision === ledger.revision && recorded.data === data && recorded.now === wholeSeconds(now) ? recorded.members : membersByScope(ledger, live);
  for (const [token, list] of members) {
    const archives: ArchiveMember[][] = [];
    const tail: string[] = [];
    const departures: Departure[] = [];
    let changed = 0;
    for (const { record, membership } of list) {
      const { archive } = membership;
      if (archive === undefined) tail.push(record.key);
      else (archives[archive - 1] ??= []).push({ key: record.key, id: record.id });
      const gone = left(record, membership);
      if (gone !== undefined) departures.push({ key: record.key, id: record.id, at: gone });
      changed = Math.max(changed, gone ?? articleChanged.get(record.key) ?? own(record));
    }
    departures.sort((a, b) => b.at - a.at);
    scopes.set(scopeKeyOfToken(token), { archives, tail, departures, changed });
    latest = Math.max(latest, changed);
  }
  const mediaChanged = filesChanged(ledger.media, visible);
  const generatorSince = ledger.generator ? visible(ledger.generator.since) : 0;
  for (const changed of [...settingsChanged.values(), ...mediaChanged.values(), generatorSince]) latest = Math.max(latest, changed);
  const publication: Publication = { now, articleChanged, scopes, settingsChanged, mediaChanged, generatorSince, redirects: ledger.redirectsInOrder(), latest };
  if (goneAsOfNow) publication.movesWithClock = 'always';
  else if (merging) publication.movesWithClock = 'at-changes';
  return publication;
}
