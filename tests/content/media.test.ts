/**
 * What `check` (the loader) accepts and refuses in enclosures, episode keys, podcast sections,
 * content modes, icons and the media folder; every problem as `path:line: message`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import { formatProblem, type Problem } from '../../src/content/model.js';
import { SITE_INDEX, article, writeArticles } from '../helpers/articles.js';

const messages = (problems: Problem[]) => problems.map(formatProblem);
const DATE = 'date: 2024-01-02 10:00';
const PODCAST_INDEX = (podcast: string) => `---\ntitle: Show\npodcast:\n${podcast.replace(/^/gm, '  ')}\n---\n`;

async function load(files: Record<string, string>) {
  const dir = await writeArticles(files);
  return { ...(await loadSite(dir)), dir };
}

describe('enclosures', () => {
  it('are read with their URL resolved against the article, length in bytes, and duration in seconds or H:MM:SS', async () => {
    const { data, problems } = await load({
      'show/ep.md': article(`title: Ep\n${DATE}\nenclosures:\n  - { url: ../../media/ep.mp3, type: audio/mpeg, length: 1234, title: MP3, duration: "1:02:03" }\n  - { url: "https://cdn.example.com/ep.ogg", type: audio/ogg, length: 99, duration: 3723 }`),
    });
    expect(messages(problems)).toEqual(['articles/show/ep.md:4: warning: the enclosure https://feeds.example.com/media/ep.mp3 names no file of media/']);
    expect(data?.articles[0]?.enclosures).toEqual([
      { url: 'https://feeds.example.com/media/ep.mp3', type: 'audio/mpeg', length: 1234, title: 'MP3', durationSeconds: 3723 },
      { url: 'https://cdn.example.com/ep.ogg', type: 'audio/ogg', length: 99, durationSeconds: 3723 },
    ]);
  });

  it('without a type or a length are refused, on the line of "enclosures", and the article is left out', async () => {
    const { data, problems } = await load({
      'show/ep.md': article(`title: Ep\n${DATE}\nenclosures:\n  - { url: a.mp3, length: 1 }\n  - { url: b.mp3, type: audio/mpeg }\n  - { url: c.mp3, type: "audio mpeg", length: -1 }`),
      'show/ok.md': article(`title: Ok\n${DATE}`),
    });
    expect(messages(problems)).toEqual([
      'articles/show/ep.md:4: "enclosures[1].type" is required: the file\'s MIME type, such as audio/mpeg',
      'articles/show/ep.md:4: "enclosures[2].length" is required: the file\'s size in bytes',
      'articles/show/ep.md:4: "enclosures[3].type" must be a MIME type such as audio/mpeg, not "audio mpeg"',
      'articles/show/ep.md:4: "enclosures[3].length" must be a whole number from 0 to 9007199254740991, not the number -1',
    ]);
    expect(data?.articles.map((a) => a.slug)).toEqual(['ok']);
  });

  it('that are not a list of mappings, or have a bad duration, are refused', async () => {
    const { problems } = await load({
      'show/a.md': article(`title: A\n${DATE}\nenclosures: ep.mp3`),
      'show/b.md': article(`title: B\n${DATE}\nenclosures: [ep.mp3]`),
      'show/c.md': article(`title: C\n${DATE}\nenclosures: [{ url: c.mp3, type: audio/mpeg, length: 1, duration: "1:75:00" }]`),
    });
    expect(messages(problems)).toEqual([
      'articles/show/a.md:4: "enclosures" must be a list, not "ep.mp3"',
      'articles/show/b.md:4: every item of "enclosures" must be a mapping of keys and values; enclosures[1] is "ep.mp3"',
      'articles/show/c.md:4: "enclosures[1].duration" must be a number of seconds or a time such as 1:02:03 (hours, minutes, seconds), not "1:75:00"',
    ]);
  });

  it('whose length differs from the media file they name are reported', async () => {
    const { problems, dir } = await load({
      'show/ep.md': article(`title: Ep\n${DATE}\nenclosures: [{ url: ../../media/ep.mp3, type: audio/mpeg, length: 5 }]`),
    });
    expect(problems).toEqual([expect.objectContaining({ message: expect.stringContaining('names no file of media/') })]);
    await mkdir(path.join(dir, 'media'));
    await writeFile(path.join(dir, 'media', 'ep.mp3'), new Uint8Array(7));
    const again = await loadSite(dir);
    expect(messages(again.problems)).toEqual(['articles/show/ep.md:4: warning: the enclosure https://feeds.example.com/media/ep.mp3 has "length: 5", but the file has 7 bytes']);
    expect(again.data?.media.map((m) => [m.path, m.type, m.size])).toEqual([[['media', 'ep.mp3'], 'audio/mpeg', 7]]);
  });
});

describe('episode keys', () => {
  it('are read: duration, episode, season, episode_type, explicit, transcripts and chapters', async () => {
    const { data, problems } = await load({
      'show/ep.md': article(
        `title: Ep\n${DATE}\nduration: "12:34"\nepisode: 3\nseason: 2\nepisode_type: bonus\nexplicit: true\n` +
          `transcript: [transcript.vtt, { url: "https://x.example/t.json", type: application/json, language: es, rel: captions }]\nchapters: chapters.json`,
      ),
    });
    expect(messages(problems)).toEqual([
      'articles/show/ep.md:9: warning: the transcript https://feeds.example.com/show/ep/transcript.vtt names no file beside the article: it would be articles/show/ep/transcript.vtt',
      'articles/show/ep.md:10: warning: the chapters https://feeds.example.com/show/ep/chapters.json names no file beside the article: it would be articles/show/ep/chapters.json',
    ]);
    expect(data?.articles[0]?.episode).toEqual({
      durationSeconds: 754,
      episode: 3,
      season: 2,
      episodeType: 'bonus',
      explicit: true,
      transcripts: [
        { url: 'https://feeds.example.com/show/ep/transcript.vtt', type: 'text/vtt' },
        { url: 'https://x.example/t.json', type: 'application/json', language: 'es', rel: 'captions' },
      ],
      chapters: 'https://feeds.example.com/show/ep/chapters.json',
    });
  });

  it('are refused when out of range or misspelled', async () => {
    const { problems } = await load({
      'show/ep.md': article(`title: Ep\n${DATE}\nepisode: 0\nepisode_type: teaser\ntranscript: notes.doc`),
    });
    expect(messages(problems)).toEqual([
      'articles/show/ep.md:4: "episode" must be a whole number from 1 to 1000000000, not the number 0',
      'articles/show/ep.md:5: "episode_type" must be one of full, trailer, bonus, not "teaser"',
      'articles/show/ep.md:6: "transcript": the type of https://feeds.example.com/show/ep/notes.doc cannot be told from its name: add "type" (text/vtt, application/x-subrip, application/json, text/html, text/plain)',
    ]);
  });
});

describe('a podcast section', () => {
  const GOOD = 'image: cover.png\ncategories: ["Society & Culture > Documentary", news]\nowner: { name: Desk, email: desk@example.com }';

  it('is read with Apple\'s spelling of its categories and the guid the Podcasting 2.0 namespace derives from its feed URL', async () => {
    const { data, problems } = await load({ 'show/_index.md': PODCAST_INDEX(GOOD), 'show/ep.md': article(`title: Ep\n${DATE}`) });
    expect(messages(problems)).toEqual([]);
    expect(data?.sections.find((s) => s.path.join('/') === 'show')?.podcast).toEqual({
      image: 'https://feeds.example.com/show/cover.png',
      categories: [{ text: 'Society & Culture', subcategory: 'Documentary' }, { text: 'News' }],
      explicit: false,
      author: 'Test Site',
      type: 'episodic',
      // uuidv5(ead4c236-bf58-58c6-a2c6-a6b28d128cb6, "feeds.example.com/show/rss.xml")
      guid: '8d0b1eab-c831-5092-9aac-c1d841a9fc6c',
      locked: false,
      owner: { name: 'Desk', email: 'desk@example.com' },
    });
  });

  it('without an image or a category, or with a category not in Apple\'s list, is refused at the line of "podcast"', async () => {
    const { data, problems } = await load({
      'a/_index.md': PODCAST_INDEX('categories: [News]'),
      'b/_index.md': PODCAST_INDEX('image: cover.png'),
      'c/_index.md': PODCAST_INDEX('image: cover.png\ncategories: [Podcasting, "News > Gossip", "Technology > Gadgets"]'),
      'd/_index.md': PODCAST_INDEX('image: cover.png\ncategories: []\ntype: daily\nguid: not-a-uuid\nowner: { name: Desk }'),
    });
    expect(messages(problems)).toEqual([
      'articles/a/_index.md:3: "podcast.image" is required: Apple Podcasts lists no show without artwork (JPEG or PNG, 1400 to 3000 pixels square)',
      'articles/b/_index.md:3: "podcast.categories" is required: a list of Apple Podcasts categories, such as [News] or ["Society & Culture > Documentary"]',
      expect.stringMatching(/^articles\/c\/_index\.md:3: "podcast\.categories": "Podcasting" is not an Apple Podcasts category; the categories are Arts, Business, .*, TV & Film/),
      'articles/c/_index.md:3: "podcast.categories": "Gossip" is not a subcategory of "News" in Apple Podcasts\' list: its subcategories are Business News, Daily News, Entertainment News, News Commentary, Politics, Sports News, Tech News',
      'articles/c/_index.md:3: "podcast.categories": "Gadgets" is not a subcategory of "Technology" in Apple Podcasts\' list: it has no subcategories',
      expect.stringMatching(/^articles\/d\/_index\.md:3: "podcast\.categories" is empty/),
      'articles/d/_index.md:3: "podcast.owner.email" is required: directories write to it to confirm who owns the podcast',
      expect.stringMatching(/^articles\/d\/_index\.md:3: "podcast\.guid" must be a UUID such as [0-9a-f-]{36} \(Podcasting 2\.0\), not "not-a-uuid"$/),
      'articles/d/_index.md:3: "podcast.type" must be one of episodic, serial, not "daily"',
    ]);
    expect(data?.sections.filter((s) => s.podcast)).toEqual([]);
  });
});

describe('content, icon and logo', () => {
  it('are inherited from the site by sections, which may set their own; paths resolve against the page that says them', async () => {
    const { data, problems } = await load({
      '_index.md': SITE_INDEX.replace('---\n', '---\ncontent: summary\nicon: media/icon.svg\nlogo: https://cdn.example.com/logo.png\n'),
      'a/_index.md': '---\ncontent: full\nicon: icon.png\n---\n',
      'a/b/x.md': article(`title: X\n${DATE}`),
    });
    expect(messages(problems)).toEqual([]);
    expect(data?.site).toMatchObject({ content: 'summary', icon: 'https://feeds.example.com/media/icon.svg', logo: 'https://cdn.example.com/logo.png' });
    const byPath = Object.fromEntries(data!.sections.map(({ path: p, content, icon, logo }) => [p.join('/'), { content, icon, logo }]));
    expect(byPath).toEqual({
      a: { content: 'full', icon: 'https://feeds.example.com/a/icon.png', logo: 'https://cdn.example.com/logo.png' },
      'a/b': { content: 'full', icon: 'https://feeds.example.com/a/icon.png', logo: 'https://cdn.example.com/logo.png' },
    });
  });

  it('are refused when misspelled or not URLs', async () => {
    const { problems } = await load({ 'a/_index.md': '---\ncontent: excerpt\nlogo: "javascript:alert(1)"\n---\n', 'a/x.md': article(`title: X\n${DATE}`) });
    expect(messages(problems)).toEqual([
      'articles/a/_index.md:2: "content" must be one of full, summary, not "excerpt"',
      'articles/a/_index.md:3: "logo" must be an http(s) URL or a path, not "javascript:alert(1)"',
    ]);
  });
});

describe('the media folder', () => {
  it('serves files of known types at /media/…, names the others, and holds no articles', async () => {
    const { data, problems } = await load({
      'media/show/ep.mp3': 'ID3',
      'media/notes.md': article(`title: Not an article\n${DATE}`),
      'media/page.html': '<script>alert(1)</script>',
      'media/rss.xml': '<rss/>',
      'media/.hidden.mp3': '',
    });
    expect(messages(problems)).toEqual([
      'articles/media/notes.md:1: warning: not served: media/ serves files ending in .mp3, .m4a, .aac, .ogg, .oga, .opus, .flac, .wav, .mp4, .m4v, .mov, .webm, .pdf, .epub, .jpg, .jpeg, .png, .gif, .webp, .avif, .svg, .ico, .vtt, .srt, .json, .txt',
      'articles/media/page.html:1: warning: not served: media/ serves files ending in .mp3, .m4a, .aac, .ogg, .oga, .opus, .flac, .wav, .mp4, .m4v, .mov, .webm, .pdf, .epub, .jpg, .jpeg, .png, .gif, .webp, .avif, .svg, .ico, .vtt, .srt, .json, .txt',
      'articles/media/rss.xml:1: warning: not served: the name "rss.xml" is reserved for generated URLs or cannot be part of a URL or of the publish ledger: rename the file',
    ]);
    expect(data?.articles).toEqual([]);
    expect(data?.sections).toEqual([]);
    expect(data?.media.map((m) => [m.path.join('/'), m.type])).toEqual([['media/show/ep.mp3', 'audio/mpeg']]);
  });
});
