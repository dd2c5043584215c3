/**
 * The history as runs record it and every runtime reads it back: archives that exist only once
 * full and never change their entries (deletions, expiries, tags removed, late filings), departures
 * announced in every scope an article was in, merged histories dated when they joined, and
 * Last-Modified worked out from the history alone.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import { chunksToText } from '../helpers/chunks.js';
import { renderResource } from '../../src/publish/render.js';
import { lastModifiedOf } from '../../src/site/modified.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { publicationOf, recordHistory } from '../../src/state/history.js';
import { Ledger } from '../../src/state/ledger.js';
import { feedPath, type ScopeRef } from '../../src/urls/paths.js';
import { article, writeArticles } from '../helpers/articles.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const MINUTE = 60_000;
const SITE = (extra = "") => `---\ntitle: Desk\nauthor: Desk\nbase_url: https://feeds.example.com\ntimezone: UTC\nfeed_limit: 2\narchive_size: 2\narchives: [site, sections, tags, authors, editions]\n${extra}---\n`;

/** Loads the folder, records it in `ledger` at `now` and returns the snapshot every runtime would make. */
async function publish(articles: string, ledger: Ledger, now: number): Promise<SiteSnapshot> {
  const { data, problems } = await loadSite(articles);
  if (!data) throw new Error(JSON.stringify(problems));
  recordHistory(ledger, data, now);
  return new SiteSnapshot(data, publicationOf(ledger, data, now));
}

function scopeOf(snapshot: SiteSnapshot, ref: ScopeRef) {
  const scope = snapshot.scope(ref);
  if (!scope) throw new Error(`no scope ${JSON.stringify(ref)}`);
  return scope;
}

/** The entries of an archive: titles of live items, and ids of tombstones. */
function archiveEntries(snapshot: SiteSnapshot, ref: ScopeRef, archive: number): string[] {
  const { items, tombstones } = snapshot.archive(scopeOf(snapshot, ref), archive);
  return [...items.map((item) => item.title), ...tombstones.map((t) => `gone ${t.id}`)].sort();
}

function atom(snapshot: SiteSnapshot, ref: ScopeRef, archive?: number): string {
  const scope = scopeOf(snapshot, ref);
  return chunksToText(renderResource(snapshot, archive === undefined ? { kind: 'feed', scope, format: 'atom' } : { kind: 'feed', scope, format: 'atom', archive }).chunks);
}

const TAG: ScopeRef = { kind: 'tag', slug: 't' };
const NEWS: ScopeRef = { kind: 'section', section: ['news'] };
const story = (n: number, tags = '[T]') => article(`title: Story ${n}\ndate: 2026-01-0${n} 10:00\ntags: ${tags}`);
const idOf = (n: number) => `https://feeds.example.com/news/story-${n}/`;

describe('archives', () => {
  it('keep their entries when an article is deleted: it stays in its place as a tombstone, announced in every scope it was in', async () => {
    const articles = await writeArticles({ '_index.md': SITE(), 'news/_index.md': '---\ntitle: News\n---\n' });
    const ledger = new Ledger();
    for (let n = 1; n <= 3; n++) {
      await writeFile(path.join(articles, `news/story-${n}.md`), story(n));
      await publish(articles, ledger, T0 + n * MINUTE);
    }
    const before = await publish(articles, ledger, T0 + 4 * MINUTE);
    expect(archiveEntries(before, TAG, 1)).toEqual(['Story 1', 'Story 2']);
    expect(before.archiveCount(scopeOf(before, TAG))).toBe(1);

    await rm(path.join(articles, 'news/story-1.md'));
    const after = await publish(articles, ledger, T0 + 5 * MINUTE);
    expect(archiveEntries(after, TAG, 1)).toEqual(['Story 2', `gone ${idOf(1)}`]);
    expect(archiveEntries(after, NEWS, 1)).toEqual(['Story 2', `gone ${idOf(1)}`]);
    expect(after.archiveCount(scopeOf(after, TAG))).toBe(1);
    // Atom's archive carries the tombstone; every scope's subscription document announces it.
    expect(atom(after, TAG, 1)).toContain(`<at:deleted-entry ref="${idOf(1)}" when="2026-03-01T00:05:00Z"/>`);
    for (const ref of [TAG, NEWS, { kind: 'site' } as ScopeRef, { kind: 'author', slug: 'desk' } as ScopeRef]) {
      expect(atom(after, ref), JSON.stringify(ref)).toContain(`<at:deleted-entry ref="${idOf(1)}"`);
    }
  });

  it('keep their entries when the articles were first published in one run and the first is deleted', async () => {
    const articles = await writeArticles({ '_index.md': SITE(), 'news/story-1.md': story(1), 'news/story-2.md': story(2), 'news/story-3.md': story(3) });
    const ledger = new Ledger();
    const before = await publish(articles, ledger, T0);
    expect(archiveEntries(before, NEWS, 1)).toEqual(['Story 1', 'Story 2']);
    await rm(path.join(articles, 'news/story-1.md'));
    const after = await publish(articles, ledger, T0 + MINUTE);
    expect(archiveEntries(after, NEWS, 1)).toEqual(['Story 2', `gone ${idOf(1)}`]);
    expect(after.currentItems(scopeOf(after, NEWS)).map((a) => a.title)).toEqual(['Story 3', 'Story 2']);
  });

  it('keep an article a tag was removed from, as a tombstone in that tag, announced in its subscription document', async () => {
    const articles = await writeArticles({ '_index.md': SITE(), 'news/story-1.md': story(1), 'news/story-2.md': story(2), 'news/story-3.md': story(3) });
    const ledger = new Ledger();
    await publish(articles, ledger, T0);
    await writeFile(path.join(articles, 'news/story-2.md'), story(2, '[U]'));
    const after = await publish(articles, ledger, T0 + MINUTE);
    expect(archiveEntries(after, TAG, 1)).toEqual(['Story 1', `gone ${idOf(2)}`]);
    expect(atom(after, TAG)).toContain(`<at:deleted-entry ref="${idOf(2)}" when="2026-03-01T00:01:00Z"/>`);
    // Still in its section, where nothing changed for it.
    expect(archiveEntries(after, NEWS, 1)).toEqual(['Story 1', 'Story 2']);
    // Tagged again: back in its place.
    await writeFile(path.join(articles, 'news/story-2.md'), story(2));
    const again = await publish(articles, ledger, T0 + 2 * MINUTE);
    expect(archiveEntries(again, TAG, 1)).toEqual(['Story 1', 'Story 2']);
  });

  it('exist only once full: a late filing waits in the subscription document, however old its date', async () => {
    const articles = await writeArticles({ '_index.md': SITE(), 'news/story-3.md': story(3), 'news/story-4.md': story(4), 'news/story-5.md': story(5) });
    const ledger = new Ledger();
    const before = await publish(articles, ledger, T0);
    expect(before.archiveCount(scopeOf(before, NEWS))).toBe(1);
    await writeFile(path.join(articles, 'news/story-1.md'), story(1));
    const after = await publish(articles, ledger, T0 + MINUTE);
    expect(archiveEntries(after, NEWS, 1)).toEqual(archiveEntries(before, NEWS, 1));
    // Older than the two newest (feed_limit 2), yet there: until the archive it fills is full.
    const news = scopeOf(after, NEWS);
    expect(after.archiveCount(news)).toBe(2);
    expect(archiveEntries(after, NEWS, 2)).toEqual(['Story 1', 'Story 5']);
    await writeFile(path.join(articles, 'news/story-2.md'), story(2));
    const later = await publish(articles, ledger, T0 + 2 * MINUTE);
    expect(later.currentItems(scopeOf(later, NEWS)).map((a) => a.title)).toEqual(['Story 5', 'Story 4', 'Story 2']);
  });
});

describe('histories joined by a merge', () => {
  it('date what the other side recorded just after the later side, so that If-Modified-Since sees it; an archive both sides filled keeps the first published', async () => {
    const articles = await writeArticles({ '_index.md': SITE(), 'news/story-1.md': story(1) });
    const base = new Ledger();
    await publish(articles, base, T0);
    const fork = base.serialize();

    // Branch A publishes story 2 (filling archive 1), then story 3; branch B publishes story 4 a little later.
    const a = Ledger.parse(fork).ledger;
    await writeFile(path.join(articles, 'news/story-2.md'), story(2));
    await publish(articles, a, T0 + MINUTE);
    await writeFile(path.join(articles, 'news/story-3.md'), story(3));
    const onA = await publish(articles, a, T0 + 2 * MINUTE);
    const b = Ledger.parse(fork).ledger;
    await rm(path.join(articles, 'news/story-2.md'));
    await rm(path.join(articles, 'news/story-3.md'));
    await writeFile(path.join(articles, 'news/story-4.md'), story(4));
    const onB = await publish(articles, b, T0 + 90_000);
    expect(archiveEntries(onB, NEWS, 1)).toEqual(['Story 1', 'Story 4']);

    // The union of both files, as git's union merge leaves it, and every article on disk.
    const merged = Ledger.parse(`${a.serialize()}${b.serialize()}`);
    expect(merged.problems).toEqual([]);
    for (const n of [2, 3]) await writeFile(path.join(articles, `news/story-${n}.md`), story(n));
    const now = T0 + 5 * MINUTE;
    // Until a run records the merge, its date moves with every change the site makes on its own (a kept site holds until the next).
    const { data } = await loadSite(articles);
    expect(publicationOf(Ledger.parse(`${a.serialize()}${b.serialize()}`).ledger, data!, now).movesWithClock).toBe('at-changes');
    const joined = await publish(articles, merged.ledger, now);
    expect(joined.publication?.movesWithClock).toBeUndefined();
    // Archive 1 was filled on both sides: it keeps the two published first (A's story 2 at +1 min).
    expect(archiveEntries(joined, NEWS, 1)).toEqual(['Story 1', 'Story 2']);
    const news = scopeOf(joined, NEWS);
    const items = [...joined.archive(news, 1).items, ...joined.currentItems(news)].map((item) => item.title);
    expect(items.sort()).toEqual(['Story 1', 'Story 2', 'Story 3', 'Story 4']);
    // Last-Modified of the section's feed moves past what either side showed.
    const lastModified = lastModifiedOf(joined, { kind: 'feed', scope: news, format: 'rss' }) as number;
    for (const side of [onA, onB]) expect(lastModified).toBeGreaterThan(lastModifiedOf(side, { kind: 'feed', scope: scopeOf(side, NEWS), format: 'rss' }) as number);
    expect(merged.ledger.merges).toHaveLength(1);
    expect(merged.ledger.clocks).toHaveLength(1);
    // What the next run reads back is the same history.
    const again = Ledger.parse(merged.ledger.serialize()).ledger;
    const reread = await publish(articles, again, now);
    expect(lastModifiedOf(reread, { kind: 'feed', scope: scopeOf(reread, NEWS), format: 'rss' })).toBe(lastModified);
  });
});

describe('Last-Modified from the history', () => {
  it('dates bytes by the scheduled instant that made them, however late the run', async () => {
    const t1 = T0 + 60 * MINUTE;
    const t2 = T0 + 120 * MINUTE;
    const scheduled = (n: number, date: number, section: string) => article(`title: Story ${n}\ndate: ${new Date(date).toISOString()}`).replace('---\n\n', '---\n\n');
    const articles = await writeArticles({
      '_index.md': SITE(),
      'news/story-1.md': story(1),
      'news/first.md': scheduled(7, t1, 'news'),
      'sport/second.md': scheduled(8, t2, 'sport'),
      'sport/match.md': article('title: Match\ndate: 2026-01-02 10:00'),
    });
    const ledger = new Ledger();
    await publish(articles, ledger, T0);
    const late = await publish(articles, ledger, t2 + 600 * MINUTE);
    const news = scopeOf(late, NEWS);
    expect(lastModifiedOf(late, { kind: 'feed', scope: news, format: 'atom' })).toBe(t1);
    expect(lastModifiedOf(late, { kind: 'feed', scope: scopeOf(late, { kind: 'section', section: ['sport'] }), format: 'atom' })).toBe(t2);
    expect(feedPath(NEWS, 'atom')).toBe('/news/atom.xml');
  });
});
