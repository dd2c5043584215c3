/**
 * The content model: what loading a folder of articles produces. Plain, serializable data, so that
 * the Worker can import it as a prebuilt module and every runtime builds the same site from it.
 */
import type { ContentMode, FeedItem, Person, PodcastChannel } from '../feeds/document.js';
import type { Disambiguation, OffsetInstant } from '../time/index.js';
import type { ScopeKind } from '../urls/paths.js';

export type { Person } from '../feeds/document.js';

/** An edition the site declares (`editions` of the site's `_index.md`). */
export interface Edition {
  /** Its URL segment, `/editions/<key>/`: a slug (see urls/paths.ts slugOf). */
  key: string;
  title: string;
  /** BCP 47: the language of its pages and feeds. */
  language: string;
  description?: string;
  /** IANA zone its page shows times in (feeds keep each article's own offset). */
  timezone?: string;
}

export interface SiteSettings {
  title: string;
  description: string;
  /** Absolute http(s) URL without a trailing slash. */
  baseUrl: string;
  language: string;
  timezone?: string;
  disambiguation: Disambiguation;
  authors: Person[];
  feedLimit: number;
  cacheMaxAge: number;
  /** false: the site publishes feeds and index pages only; every article names its own page (`link`). */
  articlePages: boolean;
  /** Items per RFC 5005 archive document. */
  archiveSize: number;
  /** The kinds of scope that keep archives (`archives`). */
  archiveKinds: ScopeKind[];
  /** What archives' entries carry (`archive_content`): `summary`, or `full` (as their scope's feeds). */
  archiveContent: ContentMode;
  /** Days a deleted article is announced in Atom feeds (RFC 6721). */
  tombstoneDays: number;
  /** URLs in one sitemap file at most (`sitemap_size`): 50,000, or fewer. */
  sitemapSize: number;
  hub?: string;
  /** Declared editions, in the order written. */
  editions: Edition[];
  /** `tag_feeds: false` turns the tag feeds and pages off. */
  tagFeeds: boolean;
  /** Hosts (and their subdomains) whose https iframes articles may embed. */
  embedHosts: string[];
  content: ContentMode;
  /** Absolute URLs. */
  icon?: string;
  logo?: string;
}

export interface SectionData {
  /** Folder names from the articles folder down, e.g. ["china", "world"]. */
  path: string[];
  title: string;
  description?: string;
  language: string;
  /** Keys of the editions it belongs to, inherited from its parents unless it names its own. */
  editions: string[];
  /** Inherited, like language. */
  content: ContentMode;
  icon?: string;
  logo?: string;
  /** The section's own (podcasts are not inherited). */
  podcast?: PodcastChannel;
}

/** What `_authors.yml` says about an author, who is named by the key articles use. */
export interface AuthorProfile {
  /** The name as `_authors.yml` writes it; it matches the articles' names by slug. */
  name: string;
  displayName?: string;
  bio?: string;
  url?: string;
  avatar?: string;
}

/**
 * A file served as it is: one of the articles folder's `media/` folder, at `/media/…`, or one
 * beside an article, in its page bundle (`news/harbour-reopens/harbour.jpg` beside
 * `news/harbour-reopens.md`), under the article's URL. What every runtime needs to serve it, never
 * its bytes: they are read from disk, as a stream, when the file is sent or copied.
 */
export interface MediaFile {
  /** The segments of its URL path: ["media", "podcast", "episode-1.mp3"], ["news", "harbour-reopens", "harbour.jpg"]. */
  path: string[];
  /** Media type (media-types.ts), without parameters. */
  type: string;
  /** In bytes. */
  size: number;
  /** The opaque part of its strong ETag: a hash of its bytes (content/etag.ts). */
  hash: string;
  /** Where it lies on disk: its real path, inside the articles folder. */
  file: string;
}

/** An article: what its feed entries show (FeedItem), and where it comes from. */
export interface ArticleData extends FeedItem {
  /** Source file, as messages name it. */
  source: string;
  section: string[];
  slug: string;
  /** Keys of the editions it belongs to: its own `editions`, else its section's. */
  editions: string[];
  /** Articles sharing it are translations of one another (FeedItem.translations links them). */
  translationKey?: string;
  /** Changes whenever anything the article renders from changes (its translations included). */
  version: string;
  /** Hash of the file's text: the publish ledger knows a renamed file by it. */
  contentHash: string;
  /** When it is taken down (`expires`): after `published`. Until `published`, it is scheduled. */
  expires?: OffsetInstant;
  /** Lines of its schedule's keys, for what `check` says of a scheduled or expired article. */
  lines: { date: number; expires?: number };
}

export interface SiteData {
  site: SiteSettings;
  sections: SectionData[];
  articles: ArticleData[];
  /** From `_authors.yml`, in the order written. */
  authorProfiles: AuthorProfile[];
  media: MediaFile[];
  /** The articles folder's own robots.txt, served as it is instead of feedgen's. */
  robots?: string;
  /**
   * The settings files (`_index.md` of the site and of each section, `_authors.yml`, `robots.txt`) by the name
   * the publish ledger keeps them under (load.ts settingsFileOf), with a hash of each one's text.
   */
  settingsFiles: Array<{ key: string; hash: string }>;
}

export interface Problem {
  /** Relative to the articles folder's parent. */
  file: string;
  line: number;
  /** `info`: what is worth knowing and needs no change (a scheduled or expired article). */
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** Line breaks and control characters, terminal escapes (ESC, CSI) included. */
const UNPRINTABLE = /[\u0000-\u0008\u000A-\u001F\u007F-\u009F\u2028\u2029]/g;

/**
 * `path:line: message` on one line. Messages quote what an article says, and file names may hold
 * any character: line breaks and control characters are written as escapes, so that one problem
 * stays one line and cannot drive the terminal.
 */
export function formatProblem(problem: Problem): string {
  const prefix = problem.severity === 'error' ? '' : `${problem.severity}: `;
  return `${problem.file}:${problem.line}: ${prefix}${problem.message}`.replace(UNPRINTABLE, escapeCharacter);
}

function escapeCharacter(c: string): string {
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  return `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}
