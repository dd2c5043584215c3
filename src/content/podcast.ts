/**
 * A section's `podcast:` mapping -> the podcast channel its RSS feed describes (feeds/rss.ts):
 * Apple Podcasts' required tags and the main Podcasting 2.0 ones.
 */
import { createHash } from 'node:crypto';
import { appleCategory, type PodcastCategory } from '../feeds/apple-categories.js';
import { PODCAST_TYPES, type PodcastChannel } from '../feeds/document.js';
import type { FieldReader } from './fields.js';
import type { SiteSettings } from './model.js';
import { singleLine } from './text.js';

const PODCAST_KEYS = ['title', 'image', 'categories', 'explicit', 'author', 'owner', 'type', 'guid', 'locked'] as const;

/** The namespace of `podcast:guid` UUIDs (Podcasting 2.0, docs/tags/guid.md). */
export const PODCAST_GUID_NAMESPACE = 'ead4c236-bf58-58c6-a2c6-a6b28d128cb6';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** RFC 9562 UUID version 5: SHA-1 of the namespace's 16 bytes and the name's UTF-8. */
export function uuidV5(namespace: string, name: string): string {
  const digest = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The guid the Podcasting 2.0 namespace derives from a feed URL: scheme and trailing slashes removed. */
export function podcastGuid(feedUrl: string): string {
  return uuidV5(PODCAST_GUID_NAMESPACE, feedUrl.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '').replace(/\/+$/, ''));
}

/** Undefined when the section is no podcast, or (with errors reported) when it cannot be one. */
export function readPodcast(fields: FieldReader, site: SiteSettings, sectionUrl: string, feedUrl: string): PodcastChannel | undefined {
  const podcast = fields.mapping('podcast');
  if (!podcast) return undefined;
  const errorsBefore = fields.problems.filter((p) => p.severity === 'error').length;
  podcast.checkKnownKeys(PODCAST_KEYS);
  const image = podcast.url('image', sectionUrl);
  if (!podcast.has('image')) podcast.error('image', `"${podcast.name('image')}" is required: Apple Podcasts lists no show without artwork (JPEG or PNG, 1400 to 3000 pixels square)`);
  const categories = readCategories(podcast);
  const owner = readOwner(podcast);
  const guid = podcast.text('guid');
  if (guid !== undefined && !UUID.test(guid)) podcast.error('guid', `"${podcast.name('guid')}" must be a UUID such as ${podcastGuid(feedUrl)} (Podcasting 2.0), not "${guid}"`);
  const channel: PodcastChannel = {
    image: image ?? '',
    categories,
    explicit: podcast.boolean('explicit') ?? false,
    author: podcast.text('author', singleLine) ?? (site.authors.map((a) => a.name).join(', ') || site.title),
    type: podcast.oneOf('type', PODCAST_TYPES) ?? 'episodic',
    guid: guid?.toLowerCase() ?? podcastGuid(feedUrl),
    locked: podcast.boolean('locked') ?? false,
  };
  if (owner) channel.owner = owner;
  const title = podcast.text('title', singleLine);
  if (title) channel.title = title;
  const errorsAfter = fields.problems.filter((p) => p.severity === 'error').length;
  return errorsAfter === errorsBefore ? channel : undefined;
}

function readCategories(podcast: FieldReader): PodcastCategory[] {
  const written = podcast.textList('categories');
  if (written === undefined) {
    if (!podcast.has('categories')) podcast.error('categories', `"${podcast.name('categories')}" is required: a list of Apple Podcasts categories, such as [News] or ["Society & Culture > Documentary"]`);
    return [];
  }
  if (written.length === 0) podcast.error('categories', `"${podcast.name('categories')}" is empty: name at least one Apple Podcasts category`);
  const categories: PodcastCategory[] = [];
  for (const text of written) {
    const found = appleCategory(text);
    if (found.ok) categories.push(found.category);
    else podcast.error('categories', `"${podcast.name('categories')}": ${found.message}`);
  }
  return categories;
}

function readOwner(podcast: FieldReader): PodcastChannel['owner'] {
  const owner = podcast.mapping('owner');
  if (!owner) return undefined;
  owner.checkKnownKeys(['name', 'email'], ['name']);
  const name = owner.required('name', singleLine);
  const email = owner.email('email');
  if (!owner.has('email')) owner.error('email', `"${owner.name('email')}" is required: directories write to it to confirm who owns the podcast`);
  return name !== undefined && email !== undefined ? { name, email } : undefined;
}
