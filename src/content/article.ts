/**
 * One article's front matter + body -> ArticleData, or the problems that keep it out.
 */
import {
  MAX_DISPLAY_OFFSET_SECONDS,
  formatOffset,
  formatRfc3339,
  normalizeTimestamp,
  parseTimestamp,
  type Adjustment,
  type OffsetInstant,
} from '../time/index.js';
import { MEDIA_SEGMENT } from '../urls/paths.js';
import { FieldReader, type FieldProblem } from './fields.js';
import { httpUrl } from '../urls/http-url.js';
import type { FrontMatter } from './frontmatter.js';
import { renderBody } from './markdown.js';
import { MEDIA_KEYS, readEnclosures, readEpisode } from './media.js';
import type { ArticleData, SiteSettings } from './model.js';
import { readDisambiguation, readEditionKeys, readLanguage, readZone, type Inherited } from './settings.js';
import { cleanText, singleLine } from './text.js';

export const ARTICLE_KEYS = [
  'title', 'date', 'updated', 'expires', 'timezone', 'disambiguation', 'author', 'summary', 'tags', 'id', 'link',
  'language', 'image', 'draft', 'editions', 'translation_key', ...MEDIA_KEYS,
] as const;
const REQUIRED_KEYS = ['title', 'date'];

export interface ArticleContext {
  source: string;
  section: string[];
  slug: string;
  /** The article's page URL on this site (absolute). */
  url: string;
  site: SiteSettings;
  inherited: Inherited;
  version: string;
  /** Hash of the file's text. */
  contentHash: string;
}

/** Lines of the keys that problems found across articles point to (1 when there is none). */
export interface ArticleLines {
  id: number;
  tags: number;
  author: number;
  translationKey: number;
  enclosures: number;
  image: number;
  transcript: number;
  chapters: number;
}

/** Plain data, so that it can cross from a worker thread. */
export interface ArticleResult {
  article?: ArticleData;
  draft: boolean;
  problems: FieldProblem[];
  /** For problems found later: a duplicate id, tags spelled two ways, a translation alone, files named that the site does not serve. */
  lines: ArticleLines;
  /** URLs of the body that name the site's own files (media/, the article's page bundle), on their file lines: checked once the files are known. */
  references?: Array<{ url: string; line: number }>;
}

export const NO_LINES: ArticleLines = { id: 1, tags: 1, author: 1, translationKey: 1, enclosures: 1, image: 1, transcript: 1, chapters: 1 };

export function readArticle(frontMatter: FrontMatter, context: ArticleContext): ArticleResult {
  const fields = new FieldReader(frontMatter);
  const { articlePages } = context.site;
  fields.checkKnownKeys(ARTICLE_KEYS, articlePages ? REQUIRED_KEYS : [...REQUIRED_KEYS, 'link']);
  const draft = fields.boolean('draft') ?? false;
  const title = fields.required('title', singleLine);

  const ownZone = fields.has('timezone');
  const zone = ownZone ? readZone(fields) : context.inherited.timezone;
  const disambiguation = readDisambiguation(fields) ?? context.inherited.disambiguation;
  const stampOptions = { zone, disambiguation };
  let published: OffsetInstant | undefined;
  let updated: OffsetInstant | undefined;
  let expires: OffsetInstant | undefined;
  // A bad `timezone` is reported once, where it is written (on its own line here, or in the
  // _index.md it is inherited from), not again on every date that needed it.
  let needsInvalidZone = false;
  if (!ownZone || zone !== undefined) {
    const read = (key: TimestampKey, required: boolean) => {
      const instant = readTimestamp(fields, key, stampOptions, required, context.inherited.timezoneInvalid === true);
      if (instant === NEEDS_INVALID_ZONE) needsInvalidZone = true;
      return instant === NEEDS_INVALID_ZONE ? undefined : instant;
    };
    published = read('date', true);
    updated = read('updated', false);
    expires = read('expires', false);
  }
  if (published && updated && updated.epochMs < published.epochMs) {
    fields.warn('updated', `"updated" (${formatRfc3339(updated)}) is before "date" (${formatRfc3339(published)})`);
  }
  // Compared in whole seconds, as the ledger and HTTP dates keep instants.
  if (published && expires && Math.floor(expires.epochMs / 1000) <= Math.floor(published.epochMs / 1000)) {
    fields.error('expires', `"expires" (${formatRfc3339(expires)}) must be after "date" (${formatRfc3339(published)}): the article would never be published`);
  }

  // The default id is the page URL even on a site without article pages: it stays put when `link` moves.
  const id = readId(fields) ?? context.url;
  if (!articlePages) fields.requireKey('link', '"link" is required: this site has no article pages (article_pages: false), so each article names its own');
  const linkText = fields.text('link');
  const link = linkText === undefined ? context.url : httpUrl(linkText, `${context.site.baseUrl}/`);
  if (linkText !== undefined && !link) fields.error('link', `"link" must be an http(s) URL, not "${linkText}"`);
  // Without a page here, the article lives at its link: relative links and images resolve against it.
  const url = articlePages ? context.url : (link ?? context.url);
  const image = fields.url('image', url);
  const enclosures = readEnclosures(fields, context.url);
  const episode = readEpisode(fields, context.url);
  const authors = fields.people('author') ?? context.site.authors;
  const summary = fields.text('summary');
  const tags = fields.textList('tags') ?? [];
  const language = readLanguage(fields) ?? context.inherited.language;
  const editions = readEditionKeys(fields, context.site.editions) ?? context.inherited.editions;
  const translationKey = fields.text('translation_key', singleLine);
  const lines: ArticleLines = {
    id: fields.line('id'),
    tags: fields.line('tags'),
    author: fields.line('author'),
    translationKey: fields.line('translation_key'),
    enclosures: fields.line('enclosures'),
    image: fields.line('image'),
    transcript: fields.line('transcript'),
    chapters: fields.line('chapters'),
  };

  if (fields.hasErrors || needsInvalidZone || title === undefined || published === undefined || link === undefined) {
    return { draft, problems: fields.problems, lines };
  }
  const body = renderBody(cleanText(frontMatter.body), url, context.site.embedHosts, localPrefixes(context.site, url));
  for (const note of body.notes) fields.warnAtLine(frontMatter.bodyLine + note.line, note.message);
  const article: ArticleData = {
    source: context.source,
    section: context.section,
    slug: context.slug,
    id,
    title,
    url,
    link,
    published,
    authors,
    tags,
    language,
    html: body.html,
    editions,
    version: context.version,
    contentHash: context.contentHash,
    lines: { date: fields.line('date'), ...(expires ? { expires: fields.line('expires') } : {}) },
  };
  if (updated) article.updated = updated;
  if (expires) article.expires = expires;
  if (summary) article.summary = summary;
  else if (body.excerpt) article.excerpt = body.excerpt;
  if (image) article.image = image;
  if (translationKey) article.translationKey = translationKey;
  if (enclosures && enclosures.length > 0) article.enclosures = enclosures;
  if (episode) article.episode = episode;
  const result: ArticleResult = { article, draft, problems: fields.problems, lines };
  if (body.references.length > 0) result.references = body.references.map(({ url, line }) => ({ url, line: frontMatter.bodyLine + line }));
  return result;
}

/** Where the site's own files are: its media folder, and with article pages the article's page bundle. */
function localPrefixes(site: SiteSettings, url: string): string[] {
  const media = `${site.baseUrl}/${MEDIA_SEGMENT}/`;
  return site.articlePages ? [media, url] : [media];
}

type TimestampKey = 'date' | 'updated' | 'expires';

/** What readTimestamp gives for a date without an offset when the zone that applies is invalid. */
const NEEDS_INVALID_ZONE = Symbol('needs the invalid zone');

/** `zoneInvalid`: the zone that applies is invalid (reported where it is written). */
function readTimestamp(
  fields: FieldReader,
  key: TimestampKey,
  options: Parameters<typeof normalizeTimestamp>[1],
  required: boolean,
  zoneInvalid = false,
): OffsetInstant | typeof NEEDS_INVALID_ZONE | undefined {
  const text = required ? fields.required(key) : fields.text(key);
  if (text === undefined) return undefined;
  if (zoneInvalid && options?.zone === undefined) {
    const parsed = parseTimestamp(text);
    if (parsed.ok && parsed.value.offsetSeconds === undefined) return NEEDS_INVALID_ZONE;
  }
  const result = normalizeTimestamp(text, options);
  if (!result.ok) {
    fields.error(key, `"${key}": ${result.error}`);
    return undefined;
  }
  const { instant } = result;
  if (Math.abs(instant.offsetSeconds) > MAX_DISPLAY_OFFSET_SECONDS) {
    fields.warn(key, `"${key}": the offset ${formatOffset(instant.offsetSeconds)} is beyond the ±14:00 that Atom dates (xsd:dateTime) allow; feeds show this time in UTC`);
  }
  if (result.adjustment && options?.disambiguation === 'compatible') {
    fields.warn(key, describeAdjustment(key, text, options.zone ?? '', instant, result.adjustment));
  }
  return instant;
}

function describeAdjustment(key: string, text: string, zone: string, instant: OffsetInstant, adjustment: Adjustment): string {
  const before = formatOffset(adjustment.offsetBefore);
  const after = formatOffset(adjustment.offsetAfter);
  const readAs = formatRfc3339(instant);
  const wall = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text} 00:00` : text;
  if (adjustment.kind === 'gap') {
    return `"${key}" ${wall} does not exist in ${zone} (clocks jumped from ${before} to ${after}); read as ${readAs} by the "compatible" rule: write the offset to say what you mean`;
  }
  return `"${key}" ${wall} happens twice in ${zone} (${before}, then ${after}); read as the earlier, ${readAs}, by the "compatible" rule: write the offset to say what you mean`;
}

/** Schemes a reader may execute if it ever treats the id as a link (an RSS guid, say). */
const SCRIPT_SCHEMES = /^(?:javascript|vbscript|data|file):/i;

/** An explicit id must be an absolute URI (Atom requires one), e.g. tag:example.com,2019:huawei. */
function readId(fields: FieldReader): string | undefined {
  const id = fields.text('id');
  if (id === undefined) return undefined;
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/.test(id) || SCRIPT_SCHEMES.test(id)) {
    fields.error('id', `"id" must be an absolute URI such as tag:example.com,2019:my-article or urn:uuid:…, not "${id}"`);
    return undefined;
  }
  return id;
}
