/**
 * The bundled podcast section: its RSS feed declares and uses the itunes and podcast namespaces as
 * their specifications say, two parsers read its episodes, durations and enclosures back (spelled
 * out, not derived), and the audio it links is served with the length the feed states.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { parseFeed as parsePodcast } from 'podcast-partytime';
import getPodcastFromFeed from 'podparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { podcastGuid, uuidV5, PODCAST_GUID_NAMESPACE } from '../../src/content/podcast.js';
import { ITUNES_NAMESPACE, PODCAST_NAMESPACE } from '../../src/feeds/rss.js';
import { article, writeArticles } from '../helpers/articles.js';
import { BUNDLED_ARTICLES, startServer } from '../helpers/server.js';
import { feedResources, renderSite, type RenderedSite } from '../helpers/site.js';
import { ATOM_NS, atomSchemaProblems, jsonFeedProblems, rssProblems } from '../helpers/validators.js';
import { childElement, childElements, parseXml, textContent, type XmlElement } from '../helpers/xml.js';

const BASE = 'http://127.0.0.1:8787';
let site: RenderedSite;

beforeAll(async () => {
  site = await renderSite(BUNDLED_ARTICLES);
});

const bodyOf = (p: string) => {
  const found = site.resources.find((r) => r.path === p);
  if (!found) throw new Error(`no resource ${p}`);
  return found.rendered.body;
};

/** Every element below `root` (itself included). */
function* elements(root: XmlElement): Generator<XmlElement> {
  yield root;
  for (const child of childElements(root)) yield* elements(child);
}

describe('podcast:guid', () => {
  it('is the UUIDv5 of the feed URL without scheme and trailing slash, as the spec examples show', () => {
    // The two examples of the Podcasting 2.0 guid tag's documentation.
    expect(uuidV5(PODCAST_GUID_NAMESPACE, 'mp3s.nashownotes.com/pc20rss.xml')).toBe('917393e3-1b1e-5cef-ace4-edaa54e1f810');
    expect(podcastGuid('https://podnews.net/rss')).toBe('9b024349-ccf0-5f69-a609-6b82873eab3c');
    expect(podcastGuid('http://podnews.net/rss/')).toBe('9b024349-ccf0-5f69-a609-6b82873eab3c');
  });
});

describe('the bundled podcast feed', () => {
  it('declares the itunes and podcast namespaces on <rss>, and uses them for exactly the podcast tags', () => {
    const rss = parseXml(bodyOf('/podcast/rss.xml'));
    expect(rss.attributes.get('xmlns:itunes')).toBe('http://www.itunes.com/dtds/podcast-1.0.dtd');
    expect(rss.attributes.get('xmlns:podcast')).toBe('https://podcastindex.org/namespace/1.0');
    expect([ITUNES_NAMESPACE, PODCAST_NAMESPACE]).toEqual(['http://www.itunes.com/dtds/podcast-1.0.dtd', 'https://podcastindex.org/namespace/1.0']);
    const channel = childElement(rss, '', 'channel')!;
    const inChannel = (ns: string) => childElements(channel, ns).map((e) => e.local);
    expect(inChannel(ITUNES_NAMESPACE)).toEqual(['image', 'category', 'category', 'explicit', 'author', 'owner', 'type']);
    expect(inChannel(PODCAST_NAMESPACE)).toEqual(['guid', 'locked']);
    const items = childElements(channel, '', 'item');
    expect(items.map((item) => childElements(item, ITUNES_NAMESPACE).map((e) => e.local))).toEqual([
      ['duration', 'episode', 'season', 'explicit'],
      ['duration', 'episode', 'season', 'episodeType', 'explicit'],
    ]);
    expect(items.map((item) => childElements(item, PODCAST_NAMESPACE).map((e) => e.local))).toEqual([['transcript', 'chapters'], []]);
    expect(rssProblems(bodyOf('/podcast/rss.xml'), `${BASE}/podcast/rss.xml`)).toEqual([]);
  });

  it('writes the values as Apple and Podcasting 2.0 spell them', () => {
    const channel = childElement(parseXml(bodyOf('/podcast/rss.xml')), '', 'channel')!;
    const one = (ns: string, name: string) => childElement(channel, ns, name)!;
    expect(one(ITUNES_NAMESPACE, 'explicit') && textContent(one(ITUNES_NAMESPACE, 'explicit'))).toBe('false');
    expect(one(ITUNES_NAMESPACE, 'image').attributes.get('href')).toBe(`${BASE}/media/podcast/cover.png`);
    const categories = childElements(channel, ITUNES_NAMESPACE, 'category');
    expect(categories.map((c) => [c.attributes.get('text'), childElements(c, ITUNES_NAMESPACE, 'category').map((s) => s.attributes.get('text'))])).toEqual([
      ['News', ['Daily News']],
      ['Society & Culture', ['Documentary']],
    ]);
    expect(textContent(one(PODCAST_NAMESPACE, 'locked'))).toBe('no');
    expect(textContent(one(PODCAST_NAMESPACE, 'guid'))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('is, with its archives, the only feed that declares or uses them', () => {
    for (const feed of feedResources(site)) {
      if (feed.path === '/podcast/rss.xml' || /^\/podcast\/archive\/\d+\/rss\.xml$/.test(feed.path) || feed.resource.format === 'json') continue;
      const root = parseXml(feed.rendered.body);
      expect(root.attributes.has('xmlns:itunes'), feed.path).toBe(false);
      expect(root.attributes.has('xmlns:podcast'), feed.path).toBe(false);
      const used = [...elements(root)].filter((e) => e.ns === ITUNES_NAMESPACE || e.ns === PODCAST_NAMESPACE);
      expect(used, feed.path).toEqual([]);
    }
  });

  it('is read back by feedsmith: show, episodes, durations, enclosures, transcript and chapters', () => {
    const feed = parseRssFeed(bodyOf('/podcast/rss.xml'));
    expect(feed.itunes).toEqual({
      image: `${BASE}/media/podcast/cover.png`,
      explicit: false,
      author: 'World Desk',
      type: 'episodic',
      categories: [
        { text: 'News', categories: [{ text: 'Daily News' }] },
        { text: 'Society & Culture', categories: [{ text: 'Documentary' }] },
      ],
      owner: { name: 'World Desk', email: 'podcast@example.com' },
    });
    expect(feed.podcast).toEqual({ locked: { value: false, owner: 'podcast@example.com' }, guid: podcastGuid(`${BASE}/podcast/rss.xml`) });
    const [monsoon, trains] = feed.items ?? [];
    expect(monsoon?.title).toBe('Monsoon season, explained');
    expect(monsoon?.itunes).toEqual({ duration: 5, explicit: false, episode: 2, season: 1 });
    expect(monsoon?.enclosures).toEqual([{ url: `${BASE}/media/podcast/monsoon.m4a`, length: 16587, type: 'audio/mp4' }]);
    expect(monsoon?.media?.contents?.[0]).toMatchObject({ url: `${BASE}/media/podcast/monsoon.m4a`, fileSize: 16587, type: 'audio/mp4', medium: 'audio', duration: 5 });
    expect(monsoon?.podcast).toEqual({
      transcripts: [{ url: `${BASE}/media/podcast/monsoon.vtt`, type: 'text/vtt' }],
      chapters: { url: `${BASE}/media/podcast/monsoon-chapters.json`, type: 'application/json+chapters' },
    });
    expect(trains?.title).toBe('Night trains are back');
    expect(trains?.itunes).toEqual({ duration: 4, explicit: false, episode: 1, season: 1, episodeType: 'full' });
    expect(trains?.enclosures).toEqual([{ url: `${BASE}/media/podcast/night-trains.mp3`, length: 12225, type: 'audio/mpeg' }]);
    expect(trains?.media?.contents?.[0]).toMatchObject({ url: `${BASE}/media/podcast/night-trains.mp3`, fileSize: 12225, type: 'audio/mpeg', medium: 'audio', duration: 4 });
  });

  it('is read back by @rowanmanning/feed-parser: episodes and their enclosures', () => {
    const feed = parseFeed(bodyOf('/podcast/rss.xml'));
    expect(feed.items.map((i) => i.title)).toEqual(['Monsoon season, explained', 'Night trains are back']);
    expect(feed.items.map((i) => i.mediaAudio.map(({ url, length, mimeType }) => ({ url, length, mimeType })))).toEqual([
      [{ url: `${BASE}/media/podcast/monsoon.m4a`, length: 16587, mimeType: 'audio/mp4' }],
      [{ url: `${BASE}/media/podcast/night-trains.mp3`, length: 12225, mimeType: 'audio/mpeg' }],
    ]);
  });

  it('lists the same enclosures in Atom (valid against RFC 4287 RELAX NG) and JSON Feed (valid against its schema)', async () => {
    const atomBody = bodyOf('/podcast/atom.xml');
    expect(Object.fromEntries(await atomSchemaProblems([{ label: 'atom', xml: atomBody }]))).toEqual({});
    const entries = childElements(parseXml(atomBody), ATOM_NS, 'entry');
    expect(entries.map((e) => childElements(e, ATOM_NS, 'link').filter((l) => l.attributes.get('rel') === 'enclosure').map((l) => Object.fromEntries(l.attributes)))).toEqual([
      [{ rel: 'enclosure', type: 'audio/mp4', length: '16587', title: 'Monsoon season, explained (AAC)', href: `${BASE}/media/podcast/monsoon.m4a` }],
      [{ rel: 'enclosure', type: 'audio/mpeg', length: '12225', title: 'Night trains are back (MP3)', href: `${BASE}/media/podcast/night-trains.mp3` }],
    ]);
    expect(parseAtomFeed(atomBody).entries?.map((e) => e.links?.find((l) => l.rel === 'enclosure')?.length)).toEqual([16587, 12225]);
    const jsonBody = bodyOf('/podcast/feed.json');
    expect(jsonFeedProblems(jsonBody)).toEqual([]);
    expect(parseJsonFeed(JSON.parse(jsonBody)).items?.map((i) => i.attachments)).toEqual([
      [{ url: `${BASE}/media/podcast/monsoon.m4a`, mime_type: 'audio/mp4', title: 'Monsoon season, explained (AAC)', size_in_bytes: 16587, duration_in_seconds: 5 }],
      [{ url: `${BASE}/media/podcast/night-trains.mp3`, mime_type: 'audio/mpeg', title: 'Night trains are back (MP3)', size_in_bytes: 12225, duration_in_seconds: 4 }],
    ]);
  });
});

describe('the show, as podcast apps read it', () => {
  it('is named by its section title and shown with its cover, by two podcast parsers', () => {
    const xml = bodyOf('/podcast/rss.xml');
    const cover = `${BASE}/media/podcast/cover.png`;
    const show = parsePodcast(xml);
    expect([show?.title, show?.itunesImage, show?.image?.url]).toEqual(['World Desk Briefing', cover, cover]);
    const { meta, episodes } = getPodcastFromFeed(xml);
    expect([meta.title, meta.image?.url]).toEqual(['World Desk Briefing', cover]);
    expect(episodes.map((e) => e.title)).toEqual(['Monsoon season, explained', 'Night trains are back']);
    // RSS 2.0's <image> repeats the channel's title and link.
    const image = childElement(childElement(parseXml(xml), '', 'channel')!, '', 'image')!;
    expect([textContent(childElement(image, '', 'url')!), textContent(childElement(image, '', 'title')!)]).toEqual([cover, 'World Desk Briefing']);
  });

  it('is named the same in the Atom and JSON feeds, the OPML lists and its page, with the cover as their image', () => {
    expect(textContent(childElement(parseXml(bodyOf('/podcast/atom.xml')), ATOM_NS, 'title')!)).toBe('World Desk Briefing');
    expect(textContent(childElement(parseXml(bodyOf('/podcast/atom.xml')), ATOM_NS, 'logo')!)).toBe(`${BASE}/media/podcast/cover.png`);
    const json = JSON.parse(bodyOf('/podcast/feed.json')) as { title: string; icon: string };
    expect([json.title, json.icon]).toEqual(['World Desk Briefing', `${BASE}/media/podcast/cover.png`]);
    expect(bodyOf('/opml.xml')).toContain('text="World Desk Briefing"');
  });

  it('takes podcast.title when the show has a name of its own', async () => {
    const dir = await writeArticles({
      'show/_index.md': '---\ntitle: Audio\npodcast:\n  title: The Long Listen\n  image: cover.jpg\n  categories: [News]\n---\n',
      'show/ep.md': article('title: Ep\ndate: 2020-01-01 10:00\nenclosures: [{ url: "https://cdn.example.com/ep.mp3", type: audio/mpeg, length: 1 }]'),
    });
    const own = await renderSite(dir);
    const rss = own.resources.find((r) => r.path === '/show/rss.xml')!.rendered.body;
    expect(parsePodcast(rss)?.title).toBe('The Long Listen');
    expect(getPodcastFromFeed(rss).meta.title).toBe('The Long Listen');
    expect(rssProblems(rss, 'https://feeds.example.com/show/rss.xml')).toEqual([]);
  });
});

describe('the bundled media files', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server.close());

  it('are as long as the front matter says, on disk and as served, with their media type', async () => {
    const enclosures = site.data.articles.flatMap((a) => a.enclosures ?? []);
    expect(enclosures.length).toBe(2);
    for (const enclosure of enclosures) {
      const relative = enclosure.url.slice(`${BASE}/`.length);
      expect((await stat(path.join(BUNDLED_ARTICLES, relative))).size, relative).toBe(enclosure.length);
      const response = await fetch(`${server.url}/${relative}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(enclosure.type);
      const body = new Uint8Array(await response.arrayBuffer());
      expect(body.byteLength, relative).toBe(enclosure.length);
      expect(Buffer.from(body).equals(await readFile(path.join(BUNDLED_ARTICLES, relative)))).toBe(true);
    }
  });

  it('are served with their types, transcripts and chapters as UTF-8 text, readable from other origins', async () => {
    const expected: Record<string, string> = {
      '/media/podcast/cover.png': 'image/png',
      '/media/podcast/monsoon.vtt': 'text/vtt; charset=utf-8',
      '/media/podcast/monsoon-chapters.json': 'application/json; charset=utf-8',
      '/media/icon.svg': 'image/svg+xml; charset=utf-8',
      '/media/logo.png': 'image/png',
    };
    for (const [urlPath, type] of Object.entries(expected)) {
      const response = await fetch(`${server.url}${urlPath}`);
      expect(response.status, urlPath).toBe(200);
      expect(response.headers.get('content-type'), urlPath).toBe(type);
      expect(response.headers.get('access-control-allow-origin'), urlPath).toBe('*');
      expect(response.headers.get('content-security-policy'), urlPath).toContain("default-src 'none'");
    }
    expect((await fetch(`${server.url}/media/podcast/missing.mp3`)).status).toBe(404);
    expect(JSON.parse(await (await fetch(`${server.url}/media/podcast/monsoon-chapters.json`)).text()).version).toBe('1.2.0');
  });
});
