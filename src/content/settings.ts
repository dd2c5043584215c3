/**
 * `_index.md` files: site settings (articles/_index.md) and section settings
 * (articles/<section>/_index.md), and how they are inherited: article -> its section -> parent
 * sections -> site.
 */
import { CONTENT_MODES, type ContentMode, type PodcastChannel } from '../feeds/document.js';
import { SITEMAP_MAX_URLS } from '../feeds/sitemap.js';
import { checkZone, isDisambiguation, DISAMBIGUATIONS, type Disambiguation } from '../time/index.js';
import { slugOf, type ScopeKind } from '../urls/paths.js';
import { FieldReader, describe, languageTag } from './fields.js';
import { httpUrl, normalizeBaseUrl } from '../urls/http-url.js';
import { readPodcast } from './podcast.js';
import { singleLine } from './text.js';
import type { Edition, SiteSettings } from './model.js';

/** Whose https iframes articles may embed unless the site says otherwise (`embed_hosts`). */
export const DEFAULT_EMBED_HOSTS: readonly string[] = ['youtube-nocookie.com', 'player.vimeo.com'];

export const SITE_KEYS = [
  'title', 'description', 'base_url', 'language', 'timezone', 'disambiguation',
  'author', 'feed_limit', 'cache_max_age', 'hub', 'editions', 'tag_feeds',
  'archive_size', 'archives', 'archive_content', 'tombstone_days', 'content', 'icon', 'logo', 'article_pages', 'embed_hosts', 'sitemap_size',
] as const;
export const SECTION_KEYS = ['title', 'description', 'timezone', 'language', 'disambiguation', 'editions', 'content', 'icon', 'logo', 'podcast'] as const;
export const EDITION_KEYS = ['key', 'title', 'language', 'description', 'timezone'] as const;

export const DEFAULT_FEED_LIMIT = 50;
export const DEFAULT_CACHE_MAX_AGE = 300;
export const DEFAULT_ARCHIVE_SIZE = 100;
export const DEFAULT_TOMBSTONE_DAYS = 30;

/**
 * `archives:` the kinds of scope whose whole history is kept in RFC 5005 archives, as written
 * (`sections`, plural) -> the scope kinds. By default the site and its sections: their feeds are
 * what readers subscribe to and walk back through, while every article would otherwise be copied
 * into the archives of each of its tags, authors and editions too (measured on the 10k corpus in
 * the README, "Performance"); those keep their subscription documents.
 */
export const ARCHIVE_KIND_NAMES = { site: 'site', sections: 'section', tags: 'tag', authors: 'author', editions: 'edition' } as const;
export const DEFAULT_ARCHIVE_KINDS: readonly ScopeKind[] = ['site', 'section'];

/**
 * `archive_content:` what an archive's entries carry. By default `summary`: the title, link, dates,
 * authors, tags, enclosures and the summary (or first paragraph), while the article's page holds
 * its text and the subscription document its full content. Full archives copy every body once per
 * archived scope and format: on the 10k corpus they were two thirds of the output (README,
 * "Performance"). `full`: archives carry what their scope's feeds carry.
 */
export const DEFAULT_ARCHIVE_CONTENT: ContentMode = 'summary';

/** What a section's `_index.md` may set; unset values are inherited. */
export interface SectionSettings {
  title?: string;
  description?: string;
  timezone?: string;
  language?: string;
  disambiguation?: Disambiguation;
  /** Edition keys; [] says "in none", undefined "as the parent section". */
  editions?: string[];
  content?: ContentMode;
  /** Absolute URLs (a path is resolved against the section's URL). */
  icon?: string;
  logo?: string;
  /** Not inherited: a section is a podcast when its own _index.md says so. */
  podcast?: PodcastChannel;
  /** `timezone` is written but invalid: the articles below it get no zone from further up. */
  timezoneInvalid?: true;
}

/** What a section's feeds inherit from the sections above it and the site. */
export interface FeedSettings {
  content: ContentMode;
  icon?: string;
  logo?: string;
}

/** The settings an article inherits from its section chain and the site. */
export interface Inherited {
  timezone?: string;
  /**
   * The zone that would apply is written but invalid, and reported where it is written: a date
   * that needs it is not read, and not reported again on every article.
   */
  timezoneInvalid?: true;
  language: string;
  disambiguation: Disambiguation;
  editions: string[];
}

/** `consequence`: what the error adds, after the zone's own problem. */
export function readZone(fields: FieldReader, key = 'timezone', consequence = ''): string | undefined {
  const value = fields.text(key);
  if (value === undefined) return undefined;
  const zone = checkZone(value);
  if (!zone.ok) {
    fields.error(key, `${zone.error}${consequence}`);
    return undefined;
  }
  return zone.zone;
}

/** What a bad zone of the site or a section means for the articles that inherit it. */
const INHERITED_ZONE_CONSEQUENCE = ' (until it is fixed, articles below whose dates have no offset are left out)';

export function readLanguage(fields: FieldReader, key = 'language'): string | undefined {
  const value = fields.text(key);
  if (value === undefined) return undefined;
  const tag = languageTag(value);
  if (!tag) fields.error(key, `"${value}" is not a language tag (BCP 47, such as en, zh-Hans or pt-BR)`);
  return tag;
}

export function readDisambiguation(fields: FieldReader): Disambiguation | undefined {
  return fields.oneOf('disambiguation', DISAMBIGUATIONS);
}

/** `content`, `icon` and `logo`, which the site and every section may set; paths are resolved against `pageUrl`. */
function readFeedSettings(fields: FieldReader, pageUrl: string): Partial<FeedSettings> {
  const settings: Partial<FeedSettings> = {};
  const content = fields.oneOf('content', CONTENT_MODES);
  const icon = fields.url('icon', pageUrl);
  const logo = fields.url('logo', pageUrl);
  if (content) settings.content = content;
  if (icon) settings.icon = icon;
  if (logo) settings.logo = logo;
  return settings;
}

/**
 * Base URL precedence: `override` (--base-url), then `base_url`, then `fallback` (the Node server's
 * own address). Undefined only when none is known; other problems fall back to defaults.
 */
export function readSiteSettings(fields: FieldReader, override?: string, fallback?: string): SiteSettings | undefined {
  fields.checkKnownKeys(SITE_KEYS);
  const written = fields.text('base_url');
  const rawBase = override ?? written ?? fallback;
  const baseUrl = rawBase === undefined ? undefined : normalizeBaseUrl(rawBase);
  if (rawBase === undefined) {
    fields.error('base_url', '"base_url" is required (or pass --base-url): feeds need absolute links');
  } else if (override === undefined && written === undefined) {
    fields.warn('base_url', `no "base_url": links in feeds point to ${rawBase}`);
  }
  if (rawBase !== undefined && !baseUrl) {
    fields.error('base_url', `"base_url" must be an absolute http(s) URL without query or fragment, not "${rawBase}"`);
  }
  const hubText = fields.text('hub');
  const hub = hubText === undefined ? undefined : httpUrl(hubText);
  if (hubText !== undefined && !hub) fields.error('hub', '"hub" must be an absolute http(s) URL');
  const timezone = readZone(fields, 'timezone', INHERITED_ZONE_CONSEQUENCE);
  const settings: SiteSettings = {
    title: fields.text('title', singleLine) ?? 'feedgen',
    description: fields.text('description') ?? '',
    baseUrl: baseUrl ?? '',
    language: readLanguage(fields) ?? 'en',
    disambiguation: readDisambiguation(fields) ?? 'compatible',
    authors: fields.people('author') ?? [],
    feedLimit: fields.integer('feed_limit', 1, 1000) ?? DEFAULT_FEED_LIMIT,
    cacheMaxAge: fields.integer('cache_max_age', 0, 31_536_000) ?? DEFAULT_CACHE_MAX_AGE,
    editions: readEditionDeclarations(fields),
    tagFeeds: fields.boolean('tag_feeds') ?? true,
    embedHosts: readEmbedHosts(fields) ?? [...DEFAULT_EMBED_HOSTS],
    articlePages: fields.boolean('article_pages') ?? true,
    archiveSize: fields.integer('archive_size', 1, 10_000) ?? DEFAULT_ARCHIVE_SIZE,
    archiveKinds: readArchiveKinds(fields) ?? [...DEFAULT_ARCHIVE_KINDS],
    archiveContent: fields.oneOf('archive_content', CONTENT_MODES) ?? DEFAULT_ARCHIVE_CONTENT,
    tombstoneDays: fields.integer('tombstone_days', 0, 3650) ?? DEFAULT_TOMBSTONE_DAYS,
    // Two at least: a numbered sitemap holds half of it in articles (site/sitemaps.ts).
    sitemapSize: fields.integer('sitemap_size', 2, SITEMAP_MAX_URLS) ?? SITEMAP_MAX_URLS,
    content: 'full',
  };
  if (timezone) settings.timezone = timezone;
  if (hub) settings.hub = hub;
  if (!baseUrl) return undefined;
  Object.assign(settings, readFeedSettings(fields, `${baseUrl}/`));
  return settings;
}

/** `archives: [site, sections, tags, authors, editions]`, any of them; `[]` keeps no archives. */
function readArchiveKinds(fields: FieldReader): ScopeKind[] | undefined {
  const names = fields.textList('archives');
  if (names === undefined) return undefined;
  const kinds: ScopeKind[] = [];
  for (const name of names) {
    const kind = Object.hasOwn(ARCHIVE_KIND_NAMES, name) ? ARCHIVE_KIND_NAMES[name as keyof typeof ARCHIVE_KIND_NAMES] : undefined;
    if (kind === undefined) {
      fields.error('archives', `"archives" lists kinds of scope (${Object.keys(ARCHIVE_KIND_NAMES).join(', ')}), not "${name}"`);
      return undefined;
    }
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  return kinds;
}

/**
 * `embed_hosts: [youtube-nocookie.com, player.vimeo.com]`: host names whose https iframes (theirs
 * and their subdomains') articles may embed; `[]` allows none.
 */
function readEmbedHosts(fields: FieldReader): string[] | undefined {
  const hosts = fields.textList('embed_hosts');
  if (hosts === undefined) return undefined;
  const normalized: string[] = [];
  for (const host of hosts) {
    const name = hostName(host);
    if (!name) {
      fields.error('embed_hosts', `"embed_hosts" lists host names such as player.vimeo.com, not "${host}"`);
      return undefined;
    }
    normalized.push(name);
  }
  return [...new Set(normalized)];
}

/** `Player.Vimeo.com` -> `player.vimeo.com` (IDNs in punycode); undefined unless a bare host name. */
function hostName(text: string): string | undefined {
  if (!/^[^\s/:?#@[\]\\*]+$/.test(text)) return undefined;
  try {
    const { hostname } = new URL(`https://${text}/`);
    return /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(hostname) ? hostname : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `url`: the section's page; `feedUrl`: its RSS feed (a podcast's default guid is derived from it).
 */
export function readSectionSettings(fields: FieldReader, site: SiteSettings, url: string, feedUrl: string): SectionSettings {
  fields.checkKnownKeys(SECTION_KEYS);
  const settings: SectionSettings = {};
  const title = fields.text('title', singleLine);
  const description = fields.text('description');
  const timezone = readZone(fields, 'timezone', INHERITED_ZONE_CONSEQUENCE);
  const language = readLanguage(fields);
  const disambiguation = readDisambiguation(fields);
  const editions = readEditionKeys(fields, site.editions);
  if (title) settings.title = title;
  if (description) settings.description = description;
  if (timezone) settings.timezone = timezone;
  else if (fields.has('timezone')) settings.timezoneInvalid = true;
  if (language) settings.language = language;
  if (disambiguation) settings.disambiguation = disambiguation;
  if (editions) settings.editions = editions;
  Object.assign(settings, readFeedSettings(fields, url));
  const podcast = readPodcast(fields, site, url, feedUrl);
  if (podcast) settings.podcast = podcast;
  return settings;
}

/** A section's feed settings: its own, else the nearest section's above it, else the site's. */
export function inheritFeedSettings(site: SiteSettings, chain: SectionSettings[]): FeedSettings {
  const { content, icon, logo } = site;
  return overlay<FeedSettings>({ content, ...(icon ? { icon } : {}), ...(logo ? { logo } : {}) }, chain, ['content', 'icon', 'logo']);
}

/**
 * `chain` runs from the top-level section down to the article's own section. `siteTimezoneInvalid`:
 * the site's `timezone` is written but invalid. The nearest zone written applies, valid or not: an
 * invalid one is never made up for by a zone from further up, which would date articles wrongly.
 */
export function inherit(site: SiteSettings, chain: SectionSettings[], siteTimezoneInvalid = false): Inherited {
  const { language, disambiguation, timezone } = site;
  const inherited = overlay<Inherited>({ language, disambiguation, editions: [] }, chain, ['language', 'disambiguation', 'editions']);
  let zone: Pick<Inherited, 'timezone' | 'timezoneInvalid'> = timezone ? { timezone } : siteTimezoneInvalid ? { timezoneInvalid: true } : {};
  for (const section of chain) {
    if (section.timezone) zone = { timezone: section.timezone };
    else if (section.timezoneInvalid) zone = { timezoneInvalid: true };
  }
  return { ...inherited, ...zone };
}

/** `base`, with each of `keys` taken from the last section along `chain` that sets it. */
function overlay<T extends object>(base: T, chain: readonly SectionSettings[], keys: ReadonlyArray<keyof T & keyof SectionSettings>): T {
  const result = { ...base };
  for (const section of chain) {
    for (const key of keys) {
      if (section[key]) Object.assign(result, { [key]: section[key] });
    }
  }
  return result;
}

/**
 * The site's `editions`: a list of `{key, title, language, description?, timezone?}`. An edition
 * with a problem is reported and left out; so is a second edition with the same key.
 */
function readEditionDeclarations(fields: FieldReader): Edition[] {
  if (!fields.has('editions')) return [];
  const value = fields.value('editions');
  if (!Array.isArray(value)) {
    fields.error('editions', `"editions" must be a list of {key, title, language, description, timezone}, not ${describe(value)}`);
    return [];
  }
  const editions: Edition[] = [];
  value.forEach((item: unknown, i) => {
    const record = item !== null && typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, unknown>) : undefined;
    const entry = fields.nestedAt(['editions', i], record ?? {}, `"editions" item ${i + 1}: `);
    if (!record) {
      entry.error('key', `must be a mapping {key, title, language, description, timezone}, not ${describe(item)}`);
      return;
    }
    entry.checkKnownKeys(EDITION_KEYS, ['key', 'title', 'language']);
    const key = entry.required('key', singleLine);
    if (key !== undefined && slugOf(key) !== key) {
      entry.error('key', `"key" is the edition's URL segment: write it as a slug, such as "${slugOf(key) || 'us'}", not "${key}"`);
    } else if (key !== undefined && editions.some((e) => e.key === key)) {
      entry.error('key', `the key "${key}" is already used by another edition`);
    }
    const title = entry.required('title', singleLine);
    const language = entry.has('language') ? readLanguage(entry) : entry.required('language');
    const description = entry.text('description');
    const timezone = readZone(entry);
    if (entry.hasErrors || key === undefined || title === undefined || language === undefined) return;
    const edition: Edition = { key, title, language };
    if (description) edition.description = description;
    if (timezone) edition.timezone = timezone;
    editions.push(edition);
  });
  return editions;
}

/**
 * `editions` of a section or an article: keys of editions the site declares, matched by slug
 * (`US` names the edition `us`). Undefined when absent or wrong (reported).
 */
export function readEditionKeys(fields: FieldReader, editions: readonly Edition[]): string[] | undefined {
  const names = fields.textList('editions');
  if (names === undefined) return undefined;
  const keys: string[] = [];
  for (const name of names) {
    const key = slugOf(name);
    if (!editions.some((edition) => edition.key === key)) {
      fields.error(
        'editions',
        editions.length === 0
          ? `"editions" names "${name}", but the site declares no editions (list them under "editions" in the site's _index.md)`
          : `"editions": the site has no edition "${name}" (its editions: ${editions.map((e) => e.key).join(', ')})`,
      );
      return undefined;
    }
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}

