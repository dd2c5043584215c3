/**
 * An article's media: `enclosures` (audio, video, documents) and the episode keys a podcast's
 * feed reads (`duration`, `episode`, `season`, `episode_type`, `explicit`, `transcript`,
 * `chapters`). URLs are absolute, or paths resolved against the article's URL, as `image` is.
 */
import { EPISODE_TYPES, type Enclosure, type EpisodeInfo, type Transcript } from '../feeds/document.js';
import { mediaTypeOfUrl } from '../feeds/media-types.js';
import type { FieldReader } from './fields.js';
import { languageTag } from './fields.js';
import { singleLine } from './text.js';

export const MEDIA_KEYS = ['enclosures', 'duration', 'episode', 'season', 'episode_type', 'explicit', 'transcript', 'chapters'] as const;

const ENCLOSURE_KEYS = ['url', 'type', 'length', 'title', 'duration'] as const;
const TRANSCRIPT_KEYS = ['url', 'type', 'language', 'rel'] as const;
/** type/subtype (RFC 6838 names), parameters not allowed: feeds and readers compare the bare type. */
const MIME_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
/** Larger than any file a feed links to, and exact in a double. */
const MAX_LENGTH = Number.MAX_SAFE_INTEGER;

export function readEnclosures(fields: FieldReader, articleUrl: string): Enclosure[] | undefined {
  const readers = fields.mappingList('enclosures');
  if (!readers) return undefined;
  const enclosures: Enclosure[] = [];
  for (const reader of readers) {
    reader.checkKnownKeys(ENCLOSURE_KEYS);
    const url = reader.url('url', articleUrl);
    if (!reader.has('url')) reader.error('url', `"${reader.name('url')}" is required: the file's URL, or its path from the article`);
    const type = readMimeType(reader, 'type');
    if (!reader.has('type')) reader.error('type', `"${reader.name('type')}" is required: the file's MIME type, such as audio/mpeg`);
    const length = reader.integer('length', 0, MAX_LENGTH);
    if (!reader.has('length')) reader.error('length', `"${reader.name('length')}" is required: the file's size in bytes`);
    const title = reader.text('title', singleLine);
    const duration = reader.duration('duration');
    if (url === undefined || type === undefined || length === undefined) continue;
    const enclosure: Enclosure = { url, type, length };
    if (title !== undefined) enclosure.title = title;
    if (duration !== undefined) enclosure.durationSeconds = duration;
    enclosures.push(enclosure);
  }
  return enclosures;
}

export function readEpisode(fields: FieldReader, articleUrl: string): EpisodeInfo | undefined {
  const episode: EpisodeInfo = {};
  const duration = fields.duration('duration');
  const number = fields.integer('episode', 1, 1_000_000_000);
  const season = fields.integer('season', 1, 1_000_000_000);
  const episodeType = fields.oneOf('episode_type', EPISODE_TYPES);
  const explicit = fields.boolean('explicit');
  const transcripts = readTranscripts(fields, articleUrl);
  const chapters = fields.url('chapters', articleUrl);
  if (duration !== undefined) episode.durationSeconds = duration;
  if (number !== undefined) episode.episode = number;
  if (season !== undefined) episode.season = season;
  if (episodeType !== undefined) episode.episodeType = episodeType;
  if (explicit !== undefined) episode.explicit = explicit;
  if (transcripts !== undefined && transcripts.length > 0) episode.transcripts = transcripts;
  if (chapters !== undefined) episode.chapters = chapters;
  return Object.keys(episode).length > 0 ? episode : undefined;
}

function readMimeType(reader: FieldReader, key: string): string | undefined {
  const type = reader.text(key);
  if (type === undefined) return undefined;
  if (!MIME_TYPE.test(type)) {
    reader.error(key, `"${reader.name(key)}" must be a MIME type such as audio/mpeg, not "${type}"`);
    return undefined;
  }
  return type.toLowerCase();
}

/** `transcript`: a URL, a mapping {url, type, language, rel}, or a list of either. */
function readTranscripts(fields: FieldReader, articleUrl: string): Transcript[] | undefined {
  if (!fields.has('transcript')) return undefined;
  const written = fields.raw('transcript');
  const items = Array.isArray(written) ? written : [written];
  const transcripts: Transcript[] = [];
  items.forEach((item, i) => {
    const name = Array.isArray(written) ? `transcript[${i + 1}]` : 'transcript';
    if (typeof item !== 'string' && (item === null || typeof item !== 'object' || Array.isArray(item))) {
      fields.error('transcript', `"${name}" must be a URL or a mapping {url, type, language, rel}`);
      return;
    }
    const reader = fields.nested(name, fields.line('transcript'), typeof item === 'string' ? { url: item } : (item as Record<string, unknown>));
    reader.checkKnownKeys(TRANSCRIPT_KEYS);
    const url = reader.url('url', articleUrl);
    if (!reader.has('url')) reader.error('url', `"${reader.name('url')}" is required`);
    const type = readMimeType(reader, 'type') ?? (url ? mediaTypeOfUrl(url) : undefined);
    if (url && type === undefined && !reader.has('type')) {
      reader.error('url', `"${name}": the type of ${url} cannot be told from its name: add "type" (text/vtt, application/x-subrip, application/json, text/html, text/plain)`);
    }
    const languageText = reader.text('language');
    const language = languageText === undefined ? undefined : languageTag(languageText);
    if (languageText !== undefined && language === undefined) reader.error('language', `"${reader.name('language')}" is not a language tag (BCP 47)`);
    const rel = reader.oneOf('rel', ['captions']);
    if (url === undefined || type === undefined) return;
    const transcript: Transcript = { url, type };
    if (language !== undefined) transcript.language = language;
    if (rel !== undefined) transcript.rel = rel;
    transcripts.push(transcript);
  });
  return transcripts;
}
