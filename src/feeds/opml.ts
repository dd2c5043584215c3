/** The list of every feed as OPML 2.0, for importing the whole site into a reader at once. */
import { formatRfc2822, type OffsetInstant } from '../time/index.js';
import { XML_DECLARATION, element, emptyElement } from './xml.js';

export const OPML_MEDIA_TYPE = 'text/x-opml';

export interface OpmlEntry {
  title: string;
  description: string;
  xmlUrl: string;
  htmlUrl: string;
  language: string;
}

export interface OpmlDocument {
  title: string;
  modified: OffsetInstant;
  entries: OpmlEntry[];
}

export function renderOpml(doc: OpmlDocument): string {
  return (
    XML_DECLARATION +
    '<opml version="2.0">\n<head>' +
    element('title', doc.title) +
    element('dateModified', formatRfc2822(doc.modified)) +
    '</head>\n<body>\n' +
    doc.entries
      .map(
        (e) =>
          `${emptyElement('outline', {
            type: 'rss',
            text: e.title,
            title: e.title,
            description: e.description || undefined,
            language: e.language,
            version: 'RSS2',
            xmlUrl: e.xmlUrl,
            htmlUrl: e.htmlUrl,
          })}\n`,
      )
      .join('') +
    '</body>\n</opml>\n'
  );
}
