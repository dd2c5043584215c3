/**
 * A deterministic synthetic newsroom in the CONTRACT layout: N articles of 3-6 KB Markdown across
 * 40 nested sections, several zones (30/45-minute offsets and DST among them), some in Chinese.
 * Nine editions (one per region, each region's sections in it, and a Chinese one); one article in
 * twenty names editions of its own; one tag in ten is capitalized (so `Trade` and `trade` are one
 * tag, spelled two ways); one pair of articles in forty are translations (`translation_key`, the
 * second in French). These depend on the article's number only: the random draws, and so every
 * other byte of the corpus, are as they were before.
 *
 *   npx tsx bench/corpus.ts 10000            -> bench/.corpus/10000/articles
 */
import { mkdir, rm, writeFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { random } from './random.js';

const REGIONS: Array<{ name: string; zone: string; subsections: string[] }> = [
  { name: 'world', zone: 'UTC', subsections: ['diplomacy', 'trade', 'conflict', 'aid'] },
  { name: 'us', zone: 'America/New_York', subsections: ['politics', 'economy', 'west', 'courts'] },
  { name: 'europe', zone: 'Europe/Berlin', subsections: ['eu', 'uk', 'nordics', 'balkans'] },
  { name: 'africa', zone: 'Africa/Nairobi', subsections: ['east', 'west', 'south', 'north'] },
  { name: 'asia', zone: 'Asia/Tokyo', subsections: ['south', 'southeast', 'korea', 'central'] },
  { name: 'china', zone: 'Asia/Shanghai', subsections: ['world', 'economy', 'society', '中文'] },
  { name: 'americas', zone: 'America/Sao_Paulo', subsections: ['brazil', 'mexico', 'andes', 'caribbean'] },
  { name: 'oceania', zone: 'Australia/Sydney', subsections: ['australia', 'pacific', 'nz', 'lord-howe'] },
];
const SUBSECTION_ZONES: Record<string, string> = {
  'asia/south': 'Asia/Kolkata',
  'asia/central': 'Asia/Kathmandu',
  'oceania/nz': 'Pacific/Auckland',
  'oceania/lord-howe': 'Australia/Lord_Howe',
  'europe/uk': 'Europe/London',
  'us/west': 'America/Los_Angeles',
};

const WORDS = (
  'the government said on report officials market growth policy city council people year new first ' +
  'minister talks trade agreement energy climate water rail port bank rates budget election court ' +
  'health school research data network storm harvest export import prices workers union industry ' +
  'region province capital border security talks summit leaders press statement weekly analysts'
).split(' ');
const CJK = '经济增长政策城市交通铁路能源气候市场报告政府官员表示今年第一季度数据显示发展合作协议'.split('');

export function sectionPaths(): string[] {
  return REGIONS.flatMap((r) => r.subsections.map((s) => `${r.name}/${s}`));
}

function words(next: () => number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(WORDS[Math.floor(next() * WORDS.length)] as string);
  return out.join(' ');
}

function chinese(next: () => number, count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += CJK[Math.floor(next() * CJK.length)];
  return `${out}。`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

const EDITIONS = [...REGIONS.map((r) => ({ key: r.name, title: r.name.toUpperCase(), language: 'en', timezone: r.zone })), { key: 'zh', title: '中文', language: 'zh-CN', timezone: 'Asia/Shanghai' }];

/** Front-matter lines that depend on the article's number only (see the top of this file). */
function numberedLines(index: number): string[] {
  const lines: string[] = [];
  if (index % 20 === 7) lines.push(`editions: [${(EDITIONS[index % EDITIONS.length] as { key: string }).key}, zh]`);
  if (index % 40 === 0) lines.push(`translation_key: story-${index}`);
  if (index % 40 === 1) lines.push(`translation_key: story-${index - 1}`, 'language: fr');
  return lines;
}

function articleText(next: () => number, index: number, chineseText: boolean): string {
  const year = 2015 + Math.floor(next() * 11);
  const date = `${year}-${pad(1 + Math.floor(next() * 12))}-${pad(1 + Math.floor(next() * 28))} ${pad(Math.floor(next() * 24))}:${pad(Math.floor(next() * 60))}`;
  const title = chineseText ? chinese(next, 14).slice(0, -1) : `${words(next, 6)} ${index}`;
  const target = 3000 + Math.floor(next() * 3000);
  const paragraphs: string[] = [];
  let size = 0;
  while (size < target) {
    const kind = next();
    let block: string;
    if (chineseText) block = chinese(next, 60 + Math.floor(next() * 80));
    else if (kind < 0.08) block = `## ${words(next, 4)}`;
    else if (kind < 0.15) block = Array.from({ length: 3 }, () => `- ${words(next, 8)}`).join('\n');
    else if (kind < 0.2) block = `> ${words(next, 20)}`;
    else block = `${words(next, 30 + Math.floor(next() * 40))}, with [a related story](../${index % 7}-related/) and **emphasis** on ${words(next, 3)}.`;
    paragraphs.push(block);
    size += Buffer.byteLength(block) + 2;
  }
  const frontMatter = [
    '---',
    `title: "${title}"`,
    `date: ${date}`,
    next() < 0.3 ? `updated: ${year + 1}-01-15 09:30` : '',
    `author: [${chineseText ? '李明' : `Reporter ${index % 97}`}]`,
    `summary: "${chineseText ? chinese(next, 30) : words(next, 20)}"`,
    `tags: [${(index % 10 === 3 ? capitalized(words(next, 2)) : words(next, 2)).replace(' ', ', ')}]`,
    ...numberedLines(index),
    '---',
  ].filter(Boolean);
  return `${frontMatter.join('\n')}\n\n${paragraphs.join('\n\n')}\n`;
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Writes the corpus (unless it is already there) and returns its articles folder. */
export async function ensureCorpus(count: number, root = new URL('./.corpus/', import.meta.url).pathname): Promise<string> {
  const articles = path.join(root, String(count), 'articles');
  // Named by the corpus's version: a corpus written by an older generator is written again.
  const marker = path.join(root, String(count), '.complete-2');
  if (await stat(marker).then(() => true, () => false)) return articles;
  await rm(path.join(root, String(count)), { recursive: true, force: true });
  await mkdir(articles, { recursive: true });
  await writeFile(
    path.join(articles, '_index.md'),
    `---\ntitle: Bench Newsroom\nbase_url: https://news.example.com\ntimezone: UTC\nfeed_limit: 50\neditions:\n${EDITIONS.map((e) => `  - { key: ${e.key}, title: ${e.title}, language: ${e.language}, timezone: ${e.timezone} }\n`).join('')}---\n`,
  );
  for (const region of REGIONS) {
    await mkdir(path.join(articles, region.name), { recursive: true });
    await writeFile(path.join(articles, region.name, '_index.md'), `---\ntitle: ${region.name}\ntimezone: ${region.zone}\neditions: [${region.name}]\n---\n`);
    for (const sub of region.subsections) {
      const key = `${region.name}/${sub}`;
      await mkdir(path.join(articles, key), { recursive: true });
      const zone = SUBSECTION_ZONES[key];
      const language = sub === '中文' ? 'language: zh-Hans\neditions: [zh]\n' : '';
      await writeFile(path.join(articles, key, '_index.md'), `---\ntitle: ${sub}\n${zone ? `timezone: ${zone}\n` : ''}${language}---\n`);
    }
  }
  const next = random(20261125);
  const sections = sectionPaths();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const section = sections[Math.floor(next() * sections.length)] as string;
    const isChinese = section.endsWith('中文') || next() < 0.03;
    pending.push(writeFile(path.join(articles, section, `article-${i}.md`), articleText(next, i, isChinese)));
    if (pending.length >= 256) await Promise.all(pending.splice(0));
  }
  await Promise.all(pending);
  await writeFile(marker, '');
  return articles;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 1000);
  console.log(await ensureCorpus(count));
}
