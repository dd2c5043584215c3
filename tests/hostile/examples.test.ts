/**
 * Hostile input as explicit examples: the heavyweight cases (a 1 MB body, a 10 000-character
 * title), the exact message of every refusal (the list the README documents), names that URLs
 * must carry over the real Node server, and every script vector at once in the pages.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite } from '../../src/content/load.js';
import { formatProblem } from '../../src/content/model.js';
import { articlePath, scopePath } from '../../src/urls/paths.js';
import { article, writeArticles as writeArticleFiles } from '../helpers/articles.js';
import { feedRoundTripProblems } from '../helpers/roundtrip.js';
import { startServer } from '../helpers/server.js';
import { feedResources, pageResources, renderSite } from '../helpers/site.js';
import { atomSchemaProblems, htmlSafetyProblems, libxml2Problems, opmlProblems } from '../helpers/validators.js';

const VALID = 'title: T\ndate: 2020-01-01 10:00';

// The folders written here (one holds a 1 MB article) are removed afterwards.
const written: string[] = [];
async function writeArticles(files: Record<string, string>): Promise<string> {
  const dir = await writeArticleFiles(files);
  written.push(path.dirname(dir));
  return dir;
}
afterAll(async () => {
  await Promise.all(written.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Renders the folder and checks everything served: the validators and both parsers. */
async function everythingValid(dir: string): Promise<string[]> {
  const site = await renderSite(dir);
  const feeds = feedResources(site);
  const xml = (format: string) => feeds.filter((f) => f.resource.format === format).map((f) => ({ label: f.path, xml: f.rendered.body }));
  const opml = site.resources.filter((r) => r.resource.kind === 'opml').map((r) => ({ label: r.path, xml: r.rendered.body }));
  const [atom, rss] = await Promise.all([atomSchemaProblems(xml('atom')), libxml2Problems([...xml('rss'), ...opml])]);
  return [
    ...feeds.flatMap((f) => feedRoundTripProblems(site, f)),
    ...[...atom, ...rss].map(([label, p]) => `${label}: ${p.join('; ')}`),
    ...opml.flatMap((o) => opmlProblems(o.xml).map((p) => `${o.label}: ${p}`)),
    ...pageResources(site).flatMap((p) => htmlSafetyProblems(p.rendered.body).map((m) => `${p.path}: ${m}`)),
  ];
}

describe('heavyweight articles', () => {
  it('a 1 MB body and a 10 000-character title and summary: every feed valid, read back whole', async () => {
    const paragraph = 'Lorem <script>alert(1)</script> & ]]> [x](javascript:alert(1)) **bold** 中文 😀 \u202E עברית <!-- c --> ';
    let body = '';
    while (body.length < 1_048_576) body += `${paragraph.repeat(8)}\n\n`;
    const title = `T<&>"' 中😀\u200F`.repeat(1000).slice(0, 10_000);
    const dir = await writeArticles({
      'news/big.md': article(`title: ${JSON.stringify(title)}\ndate: 2020-01-01 10:00\nsummary: ${JSON.stringify(title)}`, body),
      'news/small.md': article('title: Small neighbour\ndate: 2020-01-02 10:00'),
    });
    const { data, problems } = await loadSite(dir);
    // The raw <script>s are removed, and said so once, on the body's first line that has one.
    expect(problems.map(formatProblem)).toEqual([expect.stringMatching(/^articles\/news\/big\.md:7: warning: raw HTML: removed <script> \(\d+ times\): not on the allowlist$/)]);
    expect(data!.articles.find((a) => a.slug === 'big')!.html).not.toMatch(/<script|href="javascript/i);
    const big = data!.articles.find((a) => a.slug === 'big')!;
    expect(big.title).toBe(title.trim());
    expect(big.html.length).toBeGreaterThan(body.length * 0.8);
    expect(data!.articles.map((a) => a.slug).sort()).toEqual(['big', 'small']);
    expect(await everythingValid(dir)).toEqual([]);
    // Each feed of the site and its section twice (subscription document and archive), 1 MB each.
  }, 180_000);

  it('a body of 100 000 nested brackets, emphasis runs and list levels renders and validates', async () => {
    const body = `${'['.repeat(30_000)}x${']'.repeat(30_000)}\n\n${'*a **a '.repeat(5_000)}\n\n${'> '.repeat(1_000)}deep\n\n${'- '.repeat(1_000)}list`;
    const dir = await writeArticles({ 'news/nested.md': article(VALID, body) });
    expect(await everythingValid(dir)).toEqual([]);
  });
});

describe('hostile media and podcast values', () => {
  it('enclosure titles, URLs, transcripts and a podcast channel full of markup: every feed valid, read back field by field', async () => {
    const nasty = JSON.stringify(`]]></title><script>alert(1)</script> & "quotes" 'single' \u202E 中文 😀`);
    const dir = await writeArticles({
      'show/_index.md': `---\ntitle: ${nasty}\ncontent: summary\npodcast:\n  image: "cover.png?a=1&b=<2>"\n  categories: ["Kids & Family > Pets & Animals"]\n  author: ${nasty}\n  owner: { name: ${nasty}, email: "a&b@example.com" }\n  locked: true\n---\n`,
      'show/ep.md': article(
        `${VALID}\nsummary: ${nasty}\nenclosures:\n  - { url: "a b/<ep>&\\"x\\".mp3?q=<1>&r='2'", type: audio/mpeg, length: 1, title: ${nasty}, duration: 1 }\n  - { url: "https://cdn.example.com/%ZZ|^.ogg", type: Audio/OGG, length: 9007199254740991 }\n` +
          `transcript: [{ url: "t&<x>.vtt", language: zh-Hans-CN, rel: captions }]\nchapters: "c&<x>.json"\nepisode: 1000000000\nepisode_type: trailer`,
        '<b>first</b> & ]]> paragraph\n\nsecond',
      ),
      'show/plain.md': article('title: Plain\ndate: 2020-01-02 10:00'),
    });
    const { data, problems } = await loadSite(dir);
    // The enclosure, transcript and chapters named beside the article are not there: said, decoded.
    expect(problems.map((p) => `${p.severity} ${p.line}: ${p.message.replace(/ names .*: it would be /, ' -> ')}`)).toEqual([
      'warning 5: the enclosure https://feeds.example.com/show/ep/a%20b/%3Cep%3E&%22x%22.mp3?q=%3C1%3E&r=%272%27 -> articles/show/ep/a b/<ep>&"x".mp3',
      'warning 8: the transcript https://feeds.example.com/show/ep/t&%3Cx%3E.vtt -> articles/show/ep/t&<x>.vtt',
      'warning 9: the chapters https://feeds.example.com/show/ep/c&%3Cx%3E.json -> articles/show/ep/c&<x>.json',
    ]);
    expect(data!.articles.find((a) => a.slug === 'ep')!.enclosures!.map((e) => e.url)).toEqual([
      'https://feeds.example.com/show/ep/a%20b/%3Cep%3E&%22x%22.mp3?q=%3C1%3E&r=%272%27',
      'https://cdn.example.com/%25ZZ%7C%5E.ogg',
    ]);
    expect(data!.sections[0]!.podcast?.author).toBe(JSON.parse(nasty).trim());
    expect(await everythingValid(dir)).toEqual([]);
  });
});

describe('what is refused, and how check says it', () => {
  const FILES: Record<string, string> = {
    'r/no-front-matter.md': 'Just text.\n',
    'r/opening.md': '--- yaml\ntitle: T\n---\n',
    'r/not-closed.md': `---\n${VALID}\n`,
    'r/dots.md': `---\n${VALID}\n...\nBody\n`,
    'r/yaml-syntax.md': article('title: T\ndate: 2020-01-01 10:00\ntags: [unclosed'),
    'r/tab-indent.md': article(`${VALID}\ntags:\n\t- a`),
    'r/duplicate-key.md': article(`${VALID}\ntitle: Again`),
    'r/binary.md': article(`${VALID}\nimage: !!binary aGVsbG8=`),
    'r/timestamp.md': article('title: T\ndate: !!timestamp 2019-09-12 07:47:00'),
    'r/custom-tag.md': article(`${VALID}\nsummary: !shout hello`),
    'r/list.md': '---\n- title\n- date\n---\n',
    'r/scalar.md': '---\njust words\n---\n',
    'r/complex-key.md': article(`${VALID}\n? [a, b]\n: c`),
    'r/alias-bomb.md': `---\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n${VALID}\n---\n`,
    'r/title-null.md': article('title: null\ndate: 2020-01-01 10:00'),
    'r/title-number.md': article('title: 1984\ndate: 2020-01-01 10:00'),
    'r/title-empty.md': article('title: "\\u0000\\uFFFE \\t "\ndate: 2020-01-01 10:00'),
    'r/date-number.md': article('title: T\ndate: 20190912'),
    'r/date-year-0.md': article('title: T\ndate: 0000-06-01 10:00Z'),
    'r/id-script.md': article(`${VALID}\nid: javascript:alert(1)`),
    'r/id-relative.md': article(`${VALID}\nid: my-article`),
    'r/link-script.md': article(`${VALID}\nlink: javascript:alert(1)`),
    'r/image-data.md': article(`${VALID}\nimage: "data:text/html,<script>alert(1)</script>"`),
    'r/email.md': article(`${VALID}\nauthor:\n  - name: X\n    email: not-an-address`),
    'r/language.md': article(`${VALID}\nlanguage: en_US`),
    'r/draft-yes.md': article(`${VALID}\ndraft: yes`),
    'r/summary-empty.md': article(`${VALID}\nsummary: ""`),
    'r/archive.md': article(VALID),
    'r/back\\slash.md': article(VALID),
    'back\\slash/a.md': article(VALID),
    'r/dup-a.md': article(`${VALID}\nid: tag:example.com,2020:same`),
    'r/dup-b.md': article(`${VALID}\nid: tag:example.com,2020:same`),
    'r/caf\u00e9.md': article('title: Composed\ndate: 2020-01-01 10:00'),
    'r/cafe\u0301.md': article('title: Decomposed\ndate: 2020-01-01 10:00\nid: tag:example.com,2020:decomposed'),
    'w/offset.md': article('title: T\ndate: 2020-01-01 10:00+16:00'),
    'w/unknown.md': article(`${VALID}\ntittle: typo`),
    'w/line\nbreak.md': article(`${VALID}\nlink: "javascript:\\nalert(1)"`),
  };

  it('reports each as path:line: message, one line each, and serves the rest', async () => {
    const dir = await writeArticles(FILES);
    await writeFile(path.join(dir, 'r', 'utf16.md'), Buffer.from(`\uFEFF${article(VALID)}`, 'utf16le'));
    const { data, problems } = await loadSite(dir);
    expect(problems.map(formatProblem)).toEqual([
      'articles/back\\slash:1: folder name "back\\slash" contains a backslash, which URLs cannot carry; its articles are left out (rename the folder)',
      'articles/r/alias-bomb.md:2: YAML: Excessive alias count indicates a resource exhaustion attack',
      'articles/r/archive.md:1: file name "archive.md" is reserved for generated URLs: rename the file',
      'articles/r/back\\slash.md:1: file name "back\\slash.md" contains a backslash, which URLs cannot carry: rename the file',
      'articles/r/binary.md:4: YAML: the tag !!binary is not supported in front matter; write the value as text',
      'articles/r/caf\u00e9.md:1: the URL https://feeds.example.com/r/caf%C3%A9/ is already used by articles/r/cafe\u0301.md (the file names differ only in Unicode normalization): rename one of them',
      'articles/r/complex-key.md:4: YAML: a key must be plain text, not a list or a mapping',
      'articles/r/custom-tag.md:4: YAML: Unresolved tag: !shout (put the value in quotes: summary: "!shout hello")',
      'articles/r/date-number.md:3: "date" must be text, not the number 20190912 (put it in quotes)',
      'articles/r/date-year-0.md:3: "date": "0000-06-01 10:00Z" falls outside the years 0001-9999, the only years feed dates can carry',
      'articles/r/dots.md:1: front matter is not closed: add a line "---" after the last key',
      'articles/r/draft-yes.md:4: "draft" must be true or false, not "yes"',
      'articles/r/dup-b.md:4: id "tag:example.com,2020:same" is already used by articles/r/dup-a.md',
      'articles/r/duplicate-key.md:4: YAML: Map keys must be unique',
      'articles/r/email.md:4: "email" of X is not an e-mail address',
      'articles/r/id-relative.md:4: "id" must be an absolute URI such as tag:example.com,2019:my-article or urn:uuid:…, not "my-article"',
      'articles/r/id-script.md:4: "id" must be an absolute URI such as tag:example.com,2019:my-article or urn:uuid:…, not "javascript:alert(1)"',
      'articles/r/image-data.md:4: "image" must be an http(s) URL or a path, not "data:text/html,<script>alert(1)</script>"',
      'articles/r/language.md:4: "en_US" is not a language tag (BCP 47, such as en, zh-Hans or pt-BR)',
      'articles/r/link-script.md:4: "link" must be an http(s) URL, not "javascript:alert(1)"',
      'articles/r/list.md:2: front matter must be YAML "key: value" lines, not a list or a single value',
      'articles/r/no-front-matter.md:1: missing front matter: the file must start with a "---" line, the YAML keys, and a closing "---" line',
      'articles/r/not-closed.md:1: front matter is not closed: add a line "---" after the last key',
      'articles/r/opening.md:1: front matter must open with a line of exactly "---" (found "--- yaml")',
      'articles/r/scalar.md:2: front matter must be YAML "key: value" lines, not a list or a single value',
      'articles/r/summary-empty.md:4: "summary" is empty',
      'articles/r/tab-indent.md:5: YAML: Tabs are not allowed as indentation',
      'articles/r/timestamp.md:3: YAML: the tag !!timestamp is not supported in front matter; write the value as text',
      'articles/r/title-empty.md:2: "title" is empty',
      'articles/r/title-null.md:2: "title" is required',
      'articles/r/title-number.md:2: "title" must be text, not the number 1984 (put it in quotes)',
      'articles/r/utf16.md:1: file is not valid UTF-8: it is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8',
      'articles/r/yaml-syntax.md:4: YAML: Flow sequence in block collection must be sufficiently indented and end with a ] (close the list: tags: [unclosed])',
      'articles/w/line\\nbreak.md:1: file name "line\\nbreak.md" contains a tab or a line break, which the publish ledger cannot record: rename the file',
      'articles/w/offset.md:3: warning: "date": the offset +16:00 is beyond the ±14:00 that Atom dates (xsd:dateTime) allow; feeds show this time in UTC',
      'articles/w/unknown.md:4: warning: unknown key "tittle": did you mean "title"?',
    ]);
    expect(data!.articles.map((a) => a.source).sort()).toEqual(['articles/r/cafe\u0301.md', 'articles/r/dup-a.md', 'articles/w/offset.md', 'articles/w/unknown.md']);
    expect(await everythingValid(dir)).toEqual([]);
  });

  it('accepts BOM, CRLF, lone CR, anchors, aliases, merge keys, tabs after colons and spaces after the delimiters', async () => {
    const dir = await writeArticles({
      'ok/bom-crlf.md': '\uFEFF---\r\ntitle: BOM and CRLF\r\ndate: 2020-01-01 10:00\r\n---\r\n\r\nBody\r\n',
      'ok/cr.md': '---\rtitle: Old Mac\rdate: 2020-01-01 10:00\r---\rBody\r',
      'ok/alias.md': article('summary: &s Shared words\ntitle: *s\ndate: 2020-01-01 10:00'),
      'ok/merge.md': article('_defaults: &d\n  title: Merged\n  date: "2020-01-01 10:00"\n<<: *d\nsummary: own key'),
      'ok/merge-override.md': article('<<: {title: Inherited, date: "2020-01-01 10:00"}\ntitle: Own title'),
      'ok/tabs.md': article('title:\tTabbed\ndate:\t2020-01-01 10:00'),
      'ok/spaces.md': '---  \ntitle: Spaces\ndate: 2020-01-01 10:00\n--- \t\nBody\n',
      'ok/dashes.md': article('title: Dashes\ndate: 2020-01-01 10:00\nsummary: |\n  ---- not a delimiter\n  --- nor this'),
      'ok/crlf-title.md': article('title: "one\\r\\ntwo\\tthree\\u2028four"\ndate: 2020-01-01 10:00\nsummary: "line\\r\\nline"'),
    });
    const { data, problems } = await loadSite(dir);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
    const title = (slug: string) => data!.articles.find((a) => a.slug === slug)?.title;
    expect(title('bom-crlf')).toBe('BOM and CRLF');
    expect(data!.articles.find((a) => a.slug === 'bom-crlf')?.html).toBe('<p>Body</p>\n');
    expect(title('cr')).toBe('Old Mac');
    expect(title('alias')).toBe('Shared words');
    expect(title('merge')).toBe('Merged');
    expect(title('merge-override')).toBe('Own title');
    expect(title('tabs')).toBe('Tabbed');
    expect(title('spaces')).toBe('Spaces');
    expect(data!.articles.find((a) => a.slug === 'dashes')?.summary).toBe('---- not a delimiter\n--- nor this');
    expect(title('crlf-title')).toBe('one two three four');
    expect(data!.articles.find((a) => a.slug === 'crlf-title')?.summary).toBe('line\nline');
    expect(problems.map(formatProblem)).toContain(
      'articles/ok/merge.md:2: warning: unknown key "_defaults" (known keys: title, date, updated, expires, timezone, disambiguation, author, summary, tags, id, link, language, image, draft, editions, translation_key, enclosures, duration, episode, season, episode_type, explicit, transcript, chapters)',
    );
    expect(await everythingValid(dir)).toEqual([]);
  });

  it('points a problem with a merged key at its "<<" line', async () => {
    const dir = await writeArticles({ 'm/a.md': article('date: 2020-01-01 10:00\n<<: {title: 1984}') });
    const { problems } = await loadSite(dir);
    expect(problems.map(formatProblem)).toEqual(['articles/m/a.md:3: "title" must be text, not the number 1984 (put it in quotes)']);
  });
});

describe('folder and file names that URLs must carry, over the real Node server', () => {
  const NAMES = ['a b', '100%', '#hash', 'what?', 'x&y=z', '\u200Fרשת', '😀 emoji', '中文', 'e\u0301t\u00e9', '<script>', "it's", 'a+b', '%41'];
  let server: Awaited<ReturnType<typeof startServer>>;
  let dir: string;
  beforeAll(async () => {
    const files: Record<string, string> = {};
    NAMES.forEach((name, i) => {
      files[`${name}/${name}.md`] = article(`title: Article ${i}\ndate: 2020-01-0${(i % 9) + 1} 10:00`);
    });
    dir = await writeArticles(files);
    server = await startServer(dir, 'https://feeds.example.com');
  });
  afterAll(() => server.close());

  it('serves every article page, section page and feed at its percent-encoded URL, bytes as rendered', async () => {
    const site = await renderSite(dir, { baseUrl: 'https://feeds.example.com' });
    expect(site.problems).toEqual([]);
    expect(site.data.articles).toHaveLength(NAMES.length);
    for (const a of site.data.articles) {
      for (const p of [articlePath(a.section, a.slug), scopePath({ kind: 'section', section: a.section }), `${scopePath({ kind: 'section', section: a.section })}atom.xml`, `${scopePath({ kind: 'section', section: a.section })}feed.json`]) {
        const response = await fetch(`${server.url}${p}`);
        expect(response.status, p).toBe(200);
        expect(await response.text(), p).toBe(site.resources.find((r) => r.path === p)?.rendered.body);
      }
    }
    expect(await everythingValid(dir)).toEqual([]);
  });

  it('follows every link of the index and section pages to a 200', async () => {
    const index = await (await fetch(`${server.url}/`)).text();
    const hrefs = [...index.matchAll(/href="([^"]+)"/g)].map((m) => (m[1] ?? '').replace(/&amp;/g, '&').replace(/&#39;/g, "'").replace(/&quot;/g, '"'));
    const local = hrefs.filter((h) => h.startsWith('/'));
    expect(local.length).toBeGreaterThan(NAMES.length * 4);
    for (const href of local) {
      const response = await fetch(`${server.url}${href}`, { redirect: 'manual' });
      expect(response.status, href).toBe(200);
    }
  });

  it('answers the composed (NFC) and decomposed (NFD) spellings of a name with the same page', async () => {
    const path = (form: 'NFC' | 'NFD') => `/${encodeURIComponent('été'.normalize(form))}/${encodeURIComponent('été'.normalize(form))}/`;
    const [nfc, nfd] = await Promise.all([fetch(`${server.url}${path('NFC')}`), fetch(`${server.url}${path('NFD')}`)]);
    expect([nfc.status, nfd.status]).toEqual([200, 200]);
    expect(await nfd.text()).toBe(await nfc.text());
  });
});

describe('every script vector at once', () => {
  it('leaves no executable script in any page, and shows the text as text', async () => {
    const vectors = '<script>alert(1)</script> <img src=x onerror=alert(1)> " onmouseover="alert(1) \' onfocus=\'alert(1) javascript:alert(1) <!-- x --> ]]> <iframe src=//evil> <base href=//evil/>';
    const dir = await writeArticles({
      '<script>alert(1)</_index.md': `---\ntitle: ${JSON.stringify(vectors)}\ndescription: ${JSON.stringify(vectors)}\n---\n`,
      '<script>alert(1)</x.md': article(
        `title: ${JSON.stringify(vectors)}\ndate: 2020-01-01 10:00\nsummary: ${JSON.stringify(vectors)}\ntags: [${JSON.stringify(vectors)}]\nauthor:\n  - name: ${JSON.stringify(vectors)}\n    url: "https://example.com/\\"><script>alert(1)</script>"\nlink: "https://example.com/\\" onmouseover=\\"alert(1)"\nimage: "x.png\\" onerror=\\"alert(1)"`,
        [
          '[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](java\tscript:alert(1)) [d](&#106;avascript:alert(1)) <javascript:alert(1)>',
          '[e](vbscript:msgbox(1)) [f](data:text/html,<script>alert(1)</script>) ![g](data:text/html;base64,PHNjcmlwdD4=) [h]( javascript:alert(1))',
          '[i][ref]\n\n[ref]: javascript:alert(1)',
          '<a href="javascript:alert(1)">j</a> <img src=x onerror=alert(1)> <svg onload=alert(1)> <style>*{}</style> <script>alert(1)</script>',
          '```\n</code></pre><script>alert(1)</script>\n```',
          '<figure><img src="x.png" srcset="javascript:alert(1) 2x" onload="alert(1)"></figure> <video poster="javascript:alert(1)" onplay="alert(1)"></video>',
          '<iframe src="https://evil.example/"></iframe> <iframe srcdoc="<script>alert(1)</script>"></iframe> <form><input onfocus="alert(1)" autofocus></form>',
          '<a href="&#x6A;avascript:alert(1)">l</a> <math><mi xlink:href="javascript:alert(1)">m</mi></math> <noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
          '[k](http://example.com "t\\" onmouseover=\\"alert(1)")',
        ].join('\n\n'),
      ),
    });
    const site = await renderSite(dir);
    expect(site.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const pages = pageResources(site);
    // The index, the section, the article, its tag's and its author's pages, and the lists of tags and authors.
    expect(pages).toHaveLength(7);
    for (const page of pages) {
      expect(htmlSafetyProblems(page.rendered.body), page.path).toEqual([]);
      expect(page.rendered.body, page.path).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
    expect(await everythingValid(dir)).toEqual([]);
  });
});
