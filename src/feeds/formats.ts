/**
 * The registry of feed formats: everything the rest of the program knows about a format (its name,
 * file name, media type, label and renderer) is read from here.
 */
import { renderAtom } from './atom.js';
import type { Chunk } from './chunks.js';
import { itemStyle, type FeedDocument } from './document.js';
import type { EntryCache } from './entries.js';
import { renderJsonFeed } from './json.js';
import { renderRss } from './rss.js';

export const FEED_FORMATS = ['rss', 'atom', 'json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export interface FeedFormatSpec {
  /** The file name of every feed of this format: `/<scope>/<file>`. */
  file: string;
  /** Registered media type, without parameters. */
  mediaType: string;
  /**
   * The generic type of the format's syntax, which browsers render as a document (the XML ones
   * with their `xml-stylesheet`) where they show the registered type as text or download it.
   */
  browserMediaType: string;
  /** How people call it: link texts and titles. */
  label: string;
  /** Renders a document, taking each item's entry from `entries` (rendered once, shared by every feed). */
  render(doc: FeedDocument, entries: EntryCache): Chunk[];
}

export const FORMATS: Readonly<Record<FeedFormat, FeedFormatSpec>> = {
  rss: {
    file: 'rss.xml',
    mediaType: 'application/rss+xml',
    browserMediaType: 'application/xml',
    label: 'RSS',
    render: (doc, entries) => {
      const style = itemStyle(doc);
      return renderRss(doc, (item) => entries.rss(item, style));
    },
  },
  atom: {
    file: 'atom.xml',
    mediaType: 'application/atom+xml',
    browserMediaType: 'application/xml',
    label: 'Atom',
    render: (doc, entries) => {
      const style = itemStyle(doc);
      return renderAtom(doc, (item) => entries.atom(item, style));
    },
  },
  json: {
    file: 'feed.json',
    mediaType: 'application/feed+json',
    browserMediaType: 'application/json',
    label: 'JSON Feed',
    render: (doc, entries) => {
      const style = itemStyle(doc);
      return renderJsonFeed(doc, (item) => entries.json(item, style));
    },
  },
};

export function formatOfFile(file: string): FeedFormat | undefined {
  return FEED_FORMATS.find((format) => FORMATS[format].file === file);
}
