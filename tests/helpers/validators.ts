/**
 * Reusable conformance checks for everything feedgen serves. Each returns a list of problems
 * (empty = conforming), so that a test can print all of them at once.
 *
 * - XML well-formedness: in-process (helpers/xml.ts) and by libxml2 (xmllint-wasm), in batches.
 * - Atom: RFC 4287's RELAX NG schema (tests/fixtures/schemas/atom.rng) by libxml2, plus the
 *   RFC's rules the schema cannot express.
 * - JSON Feed 1.1: a JSON Schema of the spec (tests/fixtures/schemas/jsonfeed-1.1.schema.json), ajv.
 * - RSS 2.0: the RSS Board specification's structure, RFC 822 dates, guid semantics, atom:link self.
 * - OPML 2.0: feedsmith's parser plus the required attributes.
 * - HTML: no script an article could have smuggled in (parse5).
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { parseOpml } from 'feedsmith';
import { parse as parseHtml, type DefaultTreeAdapterTypes } from 'parse5';
import { validateXML, memoryPages, type XMLFileInfo } from 'xmllint-wasm';
import { XML_NAMESPACE, XmlSyntaxError, childElement, childElements, parseXml, textContent, type XmlElement } from './xml.js';

export const ATOM_NS = 'http://www.w3.org/2005/Atom';
const DC_NS = 'http://purl.org/dc/elements/1.1/';
const CONTENT_NS = 'http://purl.org/rss/1.0/modules/content/';
const MEDIA_NS = 'http://search.yahoo.com/mrss/';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/schemas/${name}`, import.meta.url), 'utf8');
export const ATOM_RNG = fixture('atom.rng');
export const JSON_FEED_SCHEMA: object = JSON.parse(fixture('jsonfeed-1.1.schema.json'));

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const RFC822_ZONES: Record<string, number> = { UT: 0, GMT: 0, Z: 0, EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420 };
const RFC822 = /^(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (UT|GMT|Z|[ECMP][SD]T|[+-]\d{4})$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function civilMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour < 24 && minute < 60 && second < 60;
  return valid ? date.getTime() : undefined;
}

/** An RFC 822 date-time (RSS 2.0, four-digit years) -> epoch ms; undefined if it is not one. */
export function parseRfc822(text: string): number | undefined {
  const m = RFC822.exec(text);
  if (!m) return undefined;
  const [, weekday, day, month, year, hour, minute, second = '0', zone = ''] = m;
  const local = civilMs(Number(year), MONTHS.indexOf(month ?? '') + 1, Number(day), Number(hour), Number(minute), Number(second));
  if (local === undefined) return undefined;
  if (weekday !== undefined && WEEKDAYS[new Date(local).getUTCDay()] !== weekday) return undefined;
  const offsetMinutes = /^[+-]/.test(zone) ? (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) : RFC822_ZONES[zone];
  if (offsetMinutes === undefined || Number(zone.slice(3, 5)) > 59) return undefined;
  return local - offsetMinutes * 60_000;
}

/** An RFC 3339 date-time (upper-case T and Z, as Atom asks) -> epoch ms; undefined if it is not one. */
export function parseRfc3339(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = m;
  const local = civilMs(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second));
  if (local === undefined) return undefined;
  const sign = zone.startsWith('-') ? -1 : 1;
  const offsetMinutes = zone === 'Z' ? 0 : sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4, 6)) > 59)) return undefined;
  const ms = fraction ? Math.floor(Number(`0${fraction}`) * 1000 + 1e-6) : 0;
  return local + ms - offsetMinutes * 60_000;
}

// ---------------------------------------------------------------------------------------------
// XML: in-process and libxml2

export interface XmlDocument {
  /** Where the document came from, for messages (e.g. "/china/world/atom.xml"). */
  label: string;
  xml: string;
}

/** Well-formedness (XML 1.0 + Namespaces), in-process. */
export function xmlProblems(xml: string): string[] {
  try {
    parseXml(xml);
    return [];
  } catch (error) {
    if (error instanceof XmlSyntaxError) return [`not well-formed XML: ${error.message}`];
    throw error;
  }
}

/**
 * Runs libxml2 over many documents in one call (a call costs a worker start, ~40 ms): with
 * `relaxng`, each is validated against that schema, otherwise only checked for well-formedness.
 * Returns the problems of every document that has any, keyed by label.
 */
export async function libxml2Problems(documents: readonly XmlDocument[], relaxng?: string): Promise<Map<string, string[]>> {
  const problems = new Map<string, string[]>();
  if (documents.length === 0) return problems;
  const names = documents.map((_, i) => `doc${i}.xml`);
  const xml: XMLFileInfo[] = documents.map((d, i) => ({ fileName: names[i] as string, contents: d.xml }));
  const bytes = documents.reduce((sum, d) => sum + d.xml.length * 3, 0);
  const pages = Math.min(memoryPages.max, Math.max(memoryPages.defaultMaxMemoryPages, Math.ceil((bytes * 4) / 65536) + 512));
  let output: string;
  let failed = true;
  try {
    const result = await validateXML({
      xml,
      ...(relaxng ? { schema: [{ fileName: 'schema.rng', contents: relaxng }], extension: 'relaxng' as const } : { normalization: 'format' as const }),
      maxMemoryPages: pages,
      // Formatting output is not wanted, only its parse; --noout keeps stdout empty.
      modifyArguments: (args) => (relaxng ? args : ['--noout', ...args.filter((a) => a !== '--format')]),
    });
    // Namespace errors leave the exit status at 0: the output is read in every case.
    output = result.rawOutput;
    failed = !result.valid;
  } catch (error) {
    // xmllint exits with a code the wrapper does not classify (1) when a document is not well-formed.
    output = error instanceof Error ? error.message : String(error);
  }
  const byName = new Map(names.map((name, i) => [name, documents[i]?.label ?? name]));
  for (const line of output.split('\n')) {
    const match = /^(doc\d+\.xml)(?::(\d+))?:? (.*)$/.exec(line);
    if (!match || match[3] === 'validates') continue;
    const label = byName.get(match[1] as string);
    if (label === undefined) continue;
    if (match[3]?.endsWith('fails to validate') && problems.has(label)) continue;
    const list = problems.get(label) ?? [];
    list.push(`libxml2: ${match[2] ? `line ${match[2]}: ` : ''}${match[3]}`);
    problems.set(label, list);
  }
  if (failed && problems.size === 0) problems.set('(libxml2)', [`libxml2 failed without naming a document: ${output.slice(0, 500)}`]);
  return problems;
}

/** Every Atom document against RFC 4287's RELAX NG schema, by libxml2. */
export function atomSchemaProblems(documents: readonly XmlDocument[]): Promise<Map<string, string[]>> {
  return libxml2Problems(documents, ATOM_RNG);
}

/**
 * Collects documents across many generated cases and hands them to libxml2 a batch at a time:
 * Atom against the RELAX NG schema, the rest for well-formedness.
 */
export class Libxml2Batch {
  private atom: XmlDocument[] = [];
  private other: XmlDocument[] = [];
  private size = 0;
  checked = 0;

  add(kind: 'atom' | 'xml', document: XmlDocument): void {
    (kind === 'atom' ? this.atom : this.other).push(document);
    this.size += document.xml.length;
  }

  get pendingBytes(): number {
    return this.size;
  }

  /** Problems of every pending document, then forgets them. */
  async flush(): Promise<Map<string, string[]>> {
    const [atom, other] = await Promise.all([atomSchemaProblems(this.atom), libxml2Problems(this.other)]);
    this.checked += this.atom.length + this.other.length;
    this.atom = [];
    this.other = [];
    this.size = 0;
    return new Map([...atom, ...other]);
  }
}

// ---------------------------------------------------------------------------------------------
// Atom: the RFC's rules that its RELAX NG schema leaves to Schematron or prose

const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]+$/;

export function atomProblems(xml: string, expectedSelf?: string): string[] {
  let feed: XmlElement;
  try {
    feed = parseXml(xml);
  } catch {
    return xmlProblems(xml);
  }
  const problems: string[] = [];
  if (feed.ns !== ATOM_NS || feed.local !== 'feed') return [`root element is {${feed.ns}}${feed.local}, not atom:feed`];
  const entries = childElements(feed, ATOM_NS, 'entry');
  const feedHasAuthor = childElements(feed, ATOM_NS, 'author').length > 0;
  const ids = new Set<string>();
  const check = (element: XmlElement, where: string) => {
    const id = childElement(element, ATOM_NS, 'id');
    const idText = id ? textContent(id) : '';
    if (!ABSOLUTE_IRI.test(idText)) problems.push(`${where}: atom:id "${idText}" is not an absolute IRI`);
    for (const name of ['updated', 'published']) {
      for (const date of childElements(element, ATOM_NS, name)) {
        if (parseRfc3339(textContent(date)) === undefined) problems.push(`${where}: atom:${name} "${textContent(date)}" is not an RFC 3339 date-time`);
      }
    }
    const alternates = childElements(element, ATOM_NS, 'link').filter((l) => (l.attributes.get('rel') ?? 'alternate') === 'alternate');
    const keys = alternates.map((l) => `${l.attributes.get('type') ?? ''} ${l.attributes.get('hreflang') ?? ''}`);
    if (new Set(keys).size !== keys.length) problems.push(`${where}: more than one alternate link with the same type and hreflang`);
    for (const link of childElements(element, ATOM_NS, 'link')) {
      const href = link.attributes.get('href') ?? '';
      if (!isHttpUrl(href)) problems.push(`${where}: link href "${href}" is not an absolute http(s) URL`);
    }
    for (const name of ['title', 'subtitle', 'summary', 'rights']) {
      for (const text of childElements(element, ATOM_NS, name)) {
        const type = text.attributes.get('type') ?? 'text';
        if (type !== 'xhtml' && childElements(text).length > 0) problems.push(`${where}: atom:${name} of type ${type} contains elements`);
      }
    }
    return idText;
  };
  check(feed, 'feed');
  const self = childElements(feed, ATOM_NS, 'link').filter((l) => l.attributes.get('rel') === 'self');
  if (self.length !== 1) problems.push(`feed: ${self.length} links rel="self", expected 1`);
  else if (expectedSelf !== undefined && self[0]?.attributes.get('href') !== expectedSelf) {
    problems.push(`feed: self link ${self[0]?.attributes.get('href')} is not ${expectedSelf}`);
  }
  entries.forEach((entry, i) => {
    const where = `entry ${i + 1}`;
    const id = check(entry, where);
    if (ids.has(id)) problems.push(`${where}: atom:id ${id} repeated within the feed`);
    ids.add(id);
    if (!feedHasAuthor && childElements(entry, ATOM_NS, 'author').length === 0) problems.push(`${where}: no atom:author and the feed has none`);
    const hasAlternate = childElements(entry, ATOM_NS, 'link').some((l) => (l.attributes.get('rel') ?? 'alternate') === 'alternate');
    const content = childElement(entry, ATOM_NS, 'content');
    if (!hasAlternate && !content) problems.push(`${where}: neither an alternate link nor atom:content`);
    if (content?.attributes.has('src') && !childElement(entry, ATOM_NS, 'summary')) problems.push(`${where}: out-of-line content without atom:summary`);
    const lang = entry.attributes.get('xml:lang');
    if (lang !== undefined && !/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(lang)) problems.push(`${where}: xml:lang "${lang}" is not a language tag`);
  });
  if (!feed.attributes.has('xml:lang')) problems.push('feed: no xml:lang');
  return problems;
}

// ---------------------------------------------------------------------------------------------
// RSS 2.0 (https://www.rssboard.org/rss-specification)

const CHANNEL_ELEMENTS = new Set([
  'title', 'link', 'description', 'language', 'copyright', 'managingEditor', 'webMaster', 'pubDate', 'lastBuildDate',
  'category', 'generator', 'docs', 'cloud', 'ttl', 'image', 'rating', 'textInput', 'skipHours', 'skipDays', 'item',
]);
const ITEM_ELEMENTS = new Set(['title', 'link', 'description', 'author', 'category', 'comments', 'enclosure', 'guid', 'pubDate', 'source']);
const ONCE = ['title', 'link', 'description', 'language', 'copyright', 'managingEditor', 'webMaster', 'pubDate', 'lastBuildDate', 'generator', 'docs', 'ttl', 'image'];
const EMAIL_AND_NAME = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+( \(.+\))?$/s;

export function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.href === text;
  } catch {
    return false;
  }
}

export function rssProblems(xml: string, expectedSelf?: string): string[] {
  let rss: XmlElement;
  try {
    rss = parseXml(xml);
  } catch {
    return xmlProblems(xml);
  }
  const problems: string[] = [];
  if (rss.name !== 'rss' || rss.ns !== '') return [`root element is <${rss.name}>, not <rss>`];
  if (rss.attributes.get('version') !== '2.0') problems.push(`rss version is "${rss.attributes.get('version')}", not "2.0"`);
  const channels = childElements(rss, '', 'channel');
  if (channels.length !== 1 || childElements(rss).length !== 1) return [...problems, 'rss must hold exactly one <channel> and nothing else'];
  const channel = channels[0] as XmlElement;
  const texts = (parent: XmlElement, name: string) => childElements(parent, '', name).map(textContent);

  for (const child of childElements(channel)) {
    if (child.ns === '' && !CHANNEL_ELEMENTS.has(child.local)) problems.push(`channel: <${child.local}> is not an RSS 2.0 channel element`);
  }
  for (const name of ONCE) {
    if (childElements(channel, '', name).length > 1) problems.push(`channel: <${name}> more than once`);
  }
  for (const name of ['title', 'link', 'description']) {
    if (childElements(channel, '', name).length !== 1) problems.push(`channel: required <${name}> missing`);
  }
  const [channelLink] = texts(channel, 'link');
  if (channelLink !== undefined && !isHttpUrl(channelLink)) problems.push(`channel: <link> "${channelLink}" is not an absolute http(s) URL`);
  for (const name of ['pubDate', 'lastBuildDate']) {
    for (const date of texts(channel, name)) if (parseRfc822(date) === undefined) problems.push(`channel: <${name}> "${date}" is not an RFC 822 date`);
  }
  for (const language of texts(channel, 'language')) {
    if (!/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(language)) problems.push(`channel: <language> "${language}" is not a language tag`);
  }
  for (const ttl of texts(channel, 'ttl')) if (!/^[0-9]+$/.test(ttl)) problems.push(`channel: <ttl> "${ttl}" is not a number of minutes`);
  for (const docs of texts(channel, 'docs')) if (!isHttpUrl(docs)) problems.push(`channel: <docs> "${docs}" is not a URL`);

  for (const image of childElements(channel, '', 'image')) {
    for (const name of ['url', 'title', 'link']) if (childElements(image, '', name).length !== 1) problems.push(`channel: <image> needs one <${name}>`);
    for (const name of ['url', 'link']) for (const url of texts(image, name)) if (!isHttpUrl(url)) problems.push(`channel: <image> <${name}> "${url}" is not an absolute http(s) URL`);
    const [imageTitle] = texts(image, 'title');
    const [title] = texts(channel, 'title');
    // The RSS Board's profile: an image's title and link are the channel's.
    if (imageTitle !== title || texts(image, 'link')[0] !== channelLink) problems.push('channel: <image> title and link differ from the channel\'s');
  }
  const atomLinks = childElements(channel, ATOM_NS, 'link');
  const self = atomLinks.filter((l) => l.attributes.get('rel') === 'self');
  if (self.length !== 1) problems.push(`channel: ${self.length} atom:link rel="self", expected 1`);
  else {
    const href = self[0]?.attributes.get('href') ?? '';
    if (!isHttpUrl(href)) problems.push(`channel: atom:link self "${href}" is not an absolute URL`);
    if (expectedSelf !== undefined && href !== expectedSelf) problems.push(`channel: atom:link self is ${href}, not ${expectedSelf}`);
    if (self[0]?.attributes.get('type') !== 'application/rss+xml') problems.push('channel: atom:link self has no type application/rss+xml');
  }

  const guids = new Set<string>();
  childElements(channel, '', 'item').forEach((item, i) => {
    const where = `item ${i + 1}`;
    for (const child of childElements(item)) {
      if (child.ns === '' && !ITEM_ELEMENTS.has(child.local)) problems.push(`${where}: <${child.local}> is not an RSS 2.0 item element`);
      if (child.ns === DC_NS && child.local !== 'creator') problems.push(`${where}: unexpected dc:${child.local}`);
    }
    for (const name of ['title', 'link', 'description', 'author', 'comments', 'guid', 'pubDate', 'source', 'enclosure']) {
      if (childElements(item, '', name).length > 1) problems.push(`${where}: <${name}> more than once`);
    }
    const title = texts(item, 'title')[0];
    const description = texts(item, 'description')[0];
    if (!title && !description) problems.push(`${where}: needs a <title> or a <description>`);
    for (const link of texts(item, 'link')) if (!isHttpUrl(link)) problems.push(`${where}: <link> "${link}" is not an absolute http(s) URL`);
    for (const date of texts(item, 'pubDate')) if (parseRfc822(date) === undefined) problems.push(`${where}: <pubDate> "${date}" is not an RFC 822 date`);
    for (const author of texts(item, 'author')) if (!EMAIL_AND_NAME.test(author)) problems.push(`${where}: <author> "${author}" is not "e-mail (name)"`);
    for (const category of childElements(item, '', 'category')) {
      if (textContent(category).trim() === '') problems.push(`${where}: empty <category>`);
    }
    const guid = childElement(item, '', 'guid');
    if (guid) {
      const value = textContent(guid);
      const permalink = guid.attributes.get('isPermaLink') ?? 'true';
      if (permalink !== 'true' && permalink !== 'false') problems.push(`${where}: guid isPermaLink="${permalink}" is neither true nor false`);
      if (permalink === 'true' && !isHttpUrl(value)) problems.push(`${where}: guid "${value}" is a permalink but not an absolute http(s) URL`);
      if (value.trim() === '') problems.push(`${where}: empty <guid>`);
      if (guids.has(value)) problems.push(`${where}: guid ${value} repeated within the feed`);
      guids.add(value);
    }
    for (const media of childElements(item, MEDIA_NS, 'content')) {
      if (!isHttpUrl(media.attributes.get('url') ?? '')) problems.push(`${where}: media:content without an absolute url`);
    }
    if (childElements(item, CONTENT_NS, 'encoded').length > 1) problems.push(`${where}: content:encoded more than once`);
  });
  return problems;
}

// ---------------------------------------------------------------------------------------------
// OPML 2.0 (http://opml.org/spec2.opml)

export function opmlProblems(xml: string): string[] {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch {
    return xmlProblems(xml);
  }
  const problems: string[] = [];
  if (root.name !== 'opml' || root.attributes.get('version') !== '2.0') problems.push('root must be <opml version="2.0">');
  const head = childElement(root, '', 'head');
  const body = childElement(root, '', 'body');
  if (!head || !body) return [...problems, 'OPML needs <head> and <body>'];
  for (const date of childElements(head, '', 'dateModified')) {
    if (parseRfc822(textContent(date)) === undefined) problems.push(`<dateModified> "${textContent(date)}" is not an RFC 822 date`);
  }
  const outlines = childElements(body, '', 'outline');
  if (outlines.length === 0) problems.push('<body> has no <outline>');
  for (const outline of outlines) {
    const text = outline.attributes.get('text');
    if (!text) problems.push('an <outline> without "text"');
    for (const attribute of ['xmlUrl', 'htmlUrl']) {
      const url = outline.attributes.get(attribute);
      if (url === undefined || !isHttpUrl(url)) problems.push(`outline "${text}": ${attribute} "${url}" is not an absolute http(s) URL`);
    }
    if (outline.attributes.get('type') !== 'rss') problems.push(`outline "${text}": type is not "rss"`);
  }
  let parsed: ReturnType<typeof parseOpml>;
  try {
    parsed = parseOpml(xml);
  } catch (error) {
    return [...problems, `feedsmith cannot parse the OPML: ${String(error)}`];
  }
  const parsedOutlines = parsed.body?.outlines ?? [];
  if (parsedOutlines.length !== outlines.length) problems.push(`feedsmith reads ${parsedOutlines.length} outlines, the document has ${outlines.length}`);
  for (const outline of parsedOutlines) {
    if (!outline.xmlUrl || !outline.htmlUrl) problems.push(`feedsmith: outline "${outline.text}" lacks xmlUrl or htmlUrl`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Sitemaps. The schemas (sitemaps.org 0.9 sitemap.xsd and siteindex.xsd, Google's sitemap-image
// 1.1 and sitemap-news 0.9) cannot be fetched here: their rules are checked one by one, with the
// protocol's limits and Google's rules for the extensions. Checked: the root element and the
// namespaces; each element's children, in the schema's order, required ones present and none
// repeated; no attributes the schemas do not declare; no text where the schemas allow elements
// only; `loc` an absolute http(s) URL of 12 to 2,048 characters, under the sitemap's own folder
// (sitemaps.org "Sitemap file location"); `lastmod` and `news:publication_date` an xsd:date or
// xsd:dateTime with a real calendar date, with a zone when it has a time (W3C Datetime); `changefreq`
// and `priority` their values; `news:language` an ISO 639 code or zh-cn / zh-tw; `news:access`,
// `news:genres` and `news:stock_tickers` their patterns; at most 50,000 URLs (sitemaps) and
// 52,428,800 bytes a file, 1,000 news articles, 1,000 images a page; a urlset holds at least one url.

export const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
export const IMAGE_NS = 'http://www.google.com/schemas/sitemap-image/1.1';
export const NEWS_NS = 'http://www.google.com/schemas/sitemap-news/0.9';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

const XSD_DATE = /^-?(\d{4,})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;
const XSD_DATE_TIME = /^-?(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** An xsd:date or xsd:dateTime with a real date and time; with a time, W3C Datetime also wants a zone. */
export function isSitemapDate(text: string): boolean {
  const time = XSD_DATE_TIME.exec(text);
  const date = time ?? XSD_DATE.exec(text);
  if (!date) return false;
  const [, year, month, day] = date;
  const zone = time ? time[8] : date[4];
  if (zone !== undefined && zone !== 'Z' && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(4, 6)) > 59 || (Number(zone.slice(1, 3)) === 14 && zone.slice(4, 6) !== '00'))) return false;
  if (time && (zone === undefined || Number(time[4]) > 23 || Number(time[5]) > 59 || Number(time[6]) > 59)) return false;
  return civilMs(Number(year), Number(month), Number(day), 0, 0, 0) !== undefined;
}

function anyUriProblem(text: string, what: string): string | undefined {
  if (!isHttpUrl(text)) return `${what} "${text.slice(0, 100)}" is not an absolute http(s) URL`;
  if (text.length < 12 || text.length > 2048) return `${what} has ${text.length} characters, not 12 to 2,048`;
  return undefined;
}

interface ChildRule {
  ns: string;
  local: string;
  /** How many times it may appear: [min, max]. */
  occurs: [number, number];
  check?: (element: XmlElement, where: string) => string[];
}

/**
 * An element of element-only content whose children follow `rules` in order (an xsd:sequence),
 * then, with `extensions`, elements of those other namespaces (the schemas' `any ##other`, strict:
 * only extensions whose rules are known here).
 */
function sequenceProblems(element: XmlElement, where: string, rules: readonly ChildRule[], extensions?: ReadonlyMap<string, (element: XmlElement, where: string) => string[]>): string[] {
  const problems = attributeProblems(element, where);
  for (const child of element.children) if (typeof child === 'string' && child.trim() !== '') problems.push(`${where}: text "${child.trim().slice(0, 40)}" where only elements may be`);
  const children = childElements(element);
  let at = 0;
  for (const rule of rules) {
    let count = 0;
    while (at < children.length && children[at]?.ns === rule.ns && children[at]?.local === rule.local) {
      const child = children[at] as XmlElement;
      if (rule.check) problems.push(...rule.check(child, `${where} > ${child.name}`));
      count++;
      at++;
    }
    if (count < rule.occurs[0]) problems.push(`${where}: ${rule.local} is required${count > 0 ? ` ${rule.occurs[0]} times` : ''}`);
    if (count > rule.occurs[1]) problems.push(`${where}: ${rule.local} ${count} times, at most ${rule.occurs[1]}`);
  }
  for (const child of children.slice(at)) {
    const extension = extensions && child.ns !== element.ns ? extensions.get(child.ns) : undefined;
    if (extension) problems.push(...extension(child, `${where} > ${child.name}`));
    else problems.push(`${where}: ${child.name} (${child.ns || 'no namespace'}) is not allowed here (line ${child.line})`);
  }
  return problems;
}

/** The schemas declare no attributes: only namespace declarations and xsi:schemaLocation may be written. */
function attributeProblems(element: XmlElement, where: string): string[] {
  const problems: string[] = [];
  for (const name of element.attributes.keys()) {
    if (name === 'xmlns' || name.startsWith('xmlns:') || name === 'xsi:schemaLocation') continue;
    problems.push(`${where}: attribute ${name} is not in the schema`);
  }
  if (element.attributes.has('xsi:schemaLocation') && element.attributes.get('xmlns:xsi') !== XSI_NS) problems.push(`${where}: xsi:schemaLocation without the XML Schema instance namespace`);
  return problems;
}

/** A simple-typed element: text only, checked by `valid`. */
function textRule(ns: string, local: string, occurs: [number, number], valid: (text: string) => string | undefined): ChildRule {
  return {
    ns,
    local,
    occurs,
    check: (element, where) => {
      const problems = attributeProblems(element, where);
      if (childElements(element).length > 0) problems.push(`${where}: has child elements, the schema allows text only`);
      const problem = valid(textContent(element));
      if (problem) problems.push(`${where}: ${problem}`);
      return problems;
    },
  };
}

const CHANGE_FREQUENCIES = new Set(['always', 'hourly', 'daily', 'weekly', 'monthly', 'yearly', 'never']);
const GENRES = new Set(['PressRelease', 'Satire', 'Blog', 'OpEd', 'Opinion', 'UserGenerated']);
const dateRule = (ns: string, local: string, occurs: [number, number]) =>
  textRule(ns, local, occurs, (text) => (isSitemapDate(text) ? undefined : `"${text}" is not an xsd:date or xsd:dateTime (W3C Datetime)`));
const stringRule = (ns: string, local: string, occurs: [number, number]) => textRule(ns, local, occurs, () => undefined);

/** image:image (sitemap-image 1.1): loc, then caption, geo_location, title and license, each optional. */
function imageProblems(image: XmlElement, where: string): string[] {
  if (image.local !== 'image') return [`${where}: the image namespace has no element ${image.local} at this place`];
  return sequenceProblems(image, where, [
    textRule(IMAGE_NS, 'loc', [1, 1], (text) => anyUriProblem(text, 'image:loc')),
    stringRule(IMAGE_NS, 'caption', [0, 1]),
    stringRule(IMAGE_NS, 'geo_location', [0, 1]),
    stringRule(IMAGE_NS, 'title', [0, 1]),
    textRule(IMAGE_NS, 'license', [0, 1], (text) => anyUriProblem(text, 'image:license')),
  ]);
}

export interface NewsCheck {
  /** Google News lists articles of the last two days: each publication_date must lie within them of this instant. */
  now?: number;
}

/** news:news (sitemap-news 0.9): publication (name, language), access, genres, publication_date, title, keywords, stock_tickers. */
function newsProblems(news: XmlElement, where: string, check: NewsCheck): string[] {
  if (news.local !== 'news') return [`${where}: the news namespace has no element ${news.local} at this place`];
  const publication: ChildRule = {
    ns: NEWS_NS,
    local: 'publication',
    occurs: [1, 1],
    check: (element, at) =>
      sequenceProblems(element, at, [
        textRule(NEWS_NS, 'name', [1, 1], (text) => (text.trim() === '' ? 'an empty publication name' : undefined)),
        textRule(NEWS_NS, 'language', [1, 1], (text) => (/^(zh-cn|zh-tw|[a-z]{2,3})$/.test(text) ? undefined : `"${text}" is not an ISO 639 code (or zh-cn, zh-tw)`)),
      ]),
  };
  return sequenceProblems(news, where, [
    publication,
    textRule(NEWS_NS, 'access', [0, 1], (text) => (text === 'Subscription' || text === 'Registration' ? undefined : `access "${text}" is neither Subscription nor Registration`)),
    textRule(NEWS_NS, 'genres', [0, 1], (text) => (text.split(/, */).every((genre) => GENRES.has(genre)) ? undefined : `genres "${text}" are not a list of ${[...GENRES].join(', ')}`)),
    textRule(NEWS_NS, 'publication_date', [1, 1], (text) => {
      if (!isSitemapDate(text)) return `"${text}" is not an xsd:date or xsd:dateTime (W3C Datetime)`;
      const at = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
      if (check.now !== undefined && (at > check.now || at <= check.now - 2 * 86_400_000)) return `${text} is not within the two days before ${new Date(check.now).toISOString()}`;
      return undefined;
    }),
    textRule(NEWS_NS, 'title', [1, 1], (text) => (text.trim() === '' ? 'an empty title' : undefined)),
    stringRule(NEWS_NS, 'keywords', [0, 1]),
    textRule(NEWS_NS, 'stock_tickers', [0, 1], (text) => (/^([A-Za-z0-9.]+:[A-Za-z0-9.]+(, *[A-Za-z0-9.]+:[A-Za-z0-9.]+){0,4})?$/.test(text) ? undefined : `stock_tickers "${text}" are not up to 5 EXCHANGE:TICKER`)),
  ]);
}

export interface SitemapCheck extends NewsCheck {
  /** The sitemap's own URL: every loc must be under its folder. */
  location?: string;
  /** A urlset without url (the schema wants one at least): feedgen's news sitemap when no article is recent. */
  allowEmpty?: boolean;
}

function documentProblems(xml: string): { root?: XmlElement; problems: string[] } {
  let root: XmlElement;
  try {
    root = parseXml(xml);
  } catch {
    return { problems: xmlProblems(xml) };
  }
  const problems: string[] = [];
  const bytes = new TextEncoder().encode(xml).byteLength;
  if (bytes > 52_428_800) problems.push(`${bytes} bytes, over the 52,428,800 a sitemap may have`);
  const declaration = /^<\?xml[^?]*encoding=["']([^"']+)["']/.exec(xml)?.[1];
  if (declaration !== undefined && declaration.toLowerCase() !== 'utf-8') problems.push(`encoding ${declaration}: sitemaps are UTF-8`);
  return { root, problems };
}

/** Where the URLs of a sitemap at `location` may be: its folder, same scheme and host. */
function underLocation(loc: string, location: string | undefined): string | undefined {
  if (location === undefined) return undefined;
  const folder = location.slice(0, location.lastIndexOf('/') + 1);
  return loc.startsWith(folder) ? undefined : `loc ${loc} is not under ${folder}, where the sitemap is`;
}

/** A sitemaps.org 0.9 urlset, with Google's image and news extensions. */
export function sitemapProblems(xml: string, check: SitemapCheck = {}): string[] {
  const { root, problems } = documentProblems(xml);
  if (!root) return problems;
  if (root.ns !== SITEMAP_NS || root.local !== 'urlset') return [...problems, `root element is {${root.ns}}${root.local}, not urlset of ${SITEMAP_NS}`];
  let newsCount = 0;
  const url: ChildRule = {
    ns: SITEMAP_NS,
    local: 'url',
    occurs: [check.allowEmpty ? 0 : 1, 50_000],
    check: (element, where) => {
      const found = sequenceProblems(
        element,
        where,
        [
          textRule(SITEMAP_NS, 'loc', [1, 1], (text) => anyUriProblem(text, 'loc') ?? underLocation(text, check.location)),
          dateRule(SITEMAP_NS, 'lastmod', [0, 1]),
          textRule(SITEMAP_NS, 'changefreq', [0, 1], (text) => (CHANGE_FREQUENCIES.has(text) ? undefined : `changefreq "${text}" is not one of ${[...CHANGE_FREQUENCIES].join(', ')}`)),
          textRule(SITEMAP_NS, 'priority', [0, 1], (text) => (/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(text) ? undefined : `priority "${text}" is not a decimal from 0.0 to 1.0`)),
        ],
        new Map([
          [IMAGE_NS, imageProblems],
          [NEWS_NS, (news: XmlElement, at: string) => newsProblems(news, at, check)],
        ]),
      );
      const images = childElements(element, IMAGE_NS, 'image').length;
      if (images > 1000) found.push(`${where}: ${images} images, at most 1,000`);
      const news = childElements(element, NEWS_NS, 'news').length;
      if (news > 1) found.push(`${where}: news:news ${news} times`);
      newsCount += news;
      return found;
    },
  };
  // The schema lets elements of other namespaces come before the first url; feedgen writes none.
  problems.push(...sequenceProblems(root, 'urlset', [url]));
  if (newsCount > 1000) problems.push(`${newsCount} news articles, at most 1,000 (Google News)`);
  return problems;
}

/** A sitemaps.org 0.9 sitemapindex. */
export function sitemapIndexProblems(xml: string, check: Pick<SitemapCheck, 'location'> = {}): string[] {
  const { root, problems } = documentProblems(xml);
  if (!root) return problems;
  if (root.ns !== SITEMAP_NS || root.local !== 'sitemapindex') return [...problems, `root element is {${root.ns}}${root.local}, not sitemapindex of ${SITEMAP_NS}`];
  const sitemap: ChildRule = {
    ns: SITEMAP_NS,
    local: 'sitemap',
    occurs: [1, 50_000],
    check: (element, where) =>
      sequenceProblems(element, where, [
        textRule(SITEMAP_NS, 'loc', [1, 1], (text) => anyUriProblem(text, 'loc') ?? underLocation(text, check.location)),
        dateRule(SITEMAP_NS, 'lastmod', [0, 1]),
      ]),
  };
  problems.push(...sequenceProblems(root, 'sitemapindex', [sitemap]));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// JSON Feed 1.1

let jsonFeedValidator: ValidateFunction | undefined;

function compileJsonFeedSchema(): ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  // ajv-formats is CommonJS: its function is the module, and also its `default`.
  ajvFormats.default(ajv);
  jsonFeedValidator = ajv.compile(JSON_FEED_SCHEMA);
  return jsonFeedValidator;
}

export function jsonFeedProblems(text: string, expectedSelf?: string): string[] {
  let feed: unknown;
  try {
    feed = JSON.parse(text);
  } catch (error) {
    return [`not JSON: ${(error as Error).message}`];
  }
  const validate = jsonFeedValidator ?? compileJsonFeedSchema();
  const problems = validate(feed) ? [] : (validate.errors ?? []).map((e) => `schema: ${e.instancePath || '/'} ${e.message ?? ''}`);
  if (typeof feed === 'object' && feed !== null) {
    const record = feed as { feed_url?: string; next_url?: string; items?: Array<{ id?: string }> };
    if (record.next_url !== undefined && record.next_url === record.feed_url) problems.push('next_url equals feed_url');
    if (expectedSelf !== undefined && record.feed_url !== expectedSelf) problems.push(`feed_url is ${record.feed_url}, not ${expectedSelf}`);
    const ids = (record.items ?? []).map((item) => item.id);
    if (new Set(ids).size !== ids.length) problems.push('item ids repeated within the feed');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// HTML: nothing executable

type HtmlNode = DefaultTreeAdapterTypes.Node;
type HtmlElement = DefaultTreeAdapterTypes.Element;

/**
 * What the page templates and markdown-it produce, and the structure and media an article's raw
 * HTML may keep; anything else came from an article and should have been removed.
 */
const ALLOWED_ELEMENTS = new Set([
  'html', 'head', 'body', 'meta', 'title', 'link', 'header', 'main', 'article', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'a',
  'ul', 'ol', 'li', 'span', 'time', 'strong', 'em', 'code', 'pre', 'blockquote', 'hr', 'br', 'img', 'table', 'thead', 'tbody',
  'tr', 'th', 'td', 's',
  'figure', 'figcaption', 'picture', 'source', 'audio', 'video', 'track', 'iframe', 'abbr', 'sup', 'sub', 'del', 'ins', 'b', 'i',
  'u', 'mark', 'small', 'cite', 'q', 'dfn', 'kbd', 'samp', 'var', 'div', 'dl', 'dt', 'dd', 'details', 'summary', 'wbr', 'ruby',
  'rt', 'rp', 'caption', 'colgroup', 'col', 'tfoot',
]);
const ALLOWED_ATTRIBUTES = new Set([
  'href', 'src', 'alt', 'title', 'class', 'rel', 'type', 'lang', 'charset', 'name', 'content', 'datetime', 'start', 'style',
  'srcset', 'sizes', 'width', 'height', 'loading', 'controls', 'poster', 'preload', 'loop', 'muted', 'playsinline', 'kind',
  'srclang', 'label', 'default', 'allow', 'allowfullscreen', 'referrerpolicy', 'frameborder', 'hreflang', 'reversed', 'value',
  'colspan', 'rowspan', 'scope', 'span', 'cite', 'open', 'dir', 'media',
]);
const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'poster', 'background', 'cite', 'data', 'xlink:href']);
/** The hosts whose https iframes a page may hold unless a test says otherwise (feedgen's default). */
export const DEFAULT_EMBED_HOSTS = ['youtube-nocookie.com', 'player.vimeo.com'];
const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpeg|webp)[;,]/i;

function isElement(node: HtmlNode): node is HtmlElement {
  return 'tagName' in node;
}

function* walk(node: HtmlNode): Generator<HtmlNode> {
  yield node;
  if ('childNodes' in node) for (const child of node.childNodes) yield* walk(child);
  if (isElement(node) && node.tagName === 'template' && 'content' in node) yield* walk(node.content as HtmlNode);
}

/** The scheme a browser would see in a URL attribute, lower case, or undefined for relative URLs. */
export function urlScheme(value: string): string | undefined {
  try {
    return new URL(value, 'https://relative.invalid/').protocol.slice(0, -1).toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Problems that would let an article run script: script-capable elements, event handlers,
 * script URLs, a <base> that moves links, a refresh, or markup the templates never write.
 */
export function htmlSafetyProblems(html: string, embedHosts: readonly string[] = DEFAULT_EMBED_HOSTS): string[] {
  const problems: string[] = [];
  const document = parseHtml(html);
  for (const node of walk(document)) {
    if (node.nodeName === '#comment') continue;
    if (!isElement(node)) continue;
    const tag = node.tagName;
    if (!ALLOWED_ELEMENTS.has(tag)) problems.push(`element <${tag}> in the page`);
    if (node.namespaceURI !== 'http://www.w3.org/1999/xhtml') problems.push(`foreign element <${tag}> (${node.namespaceURI})`);
    for (const attribute of node.attrs) {
      const name = attribute.prefix ? `${attribute.prefix}:${attribute.name}` : attribute.name;
      if (/^on/i.test(name)) problems.push(`event handler ${name}="${attribute.value}" on <${tag}>`);
      else if (!ALLOWED_ATTRIBUTES.has(name)) problems.push(`attribute ${name} on <${tag}>`);
      if (name === 'style' && !/^text-align:(left|right|center)$/.test(attribute.value)) problems.push(`style="${attribute.value}" on <${tag}>`);
      // srcset: every comma-separated part's first word (a comma inside a URL only adds harmless parts).
      const urls = name === 'srcset' ? attribute.value.split(',').map((part) => part.trim().split(/\s+/)[0] ?? '') : URL_ATTRIBUTES.has(name) ? [attribute.value] : [];
      for (const url of urls) {
        const scheme = urlScheme(url);
        const dangerous = scheme === 'javascript' || scheme === 'vbscript' || (scheme === 'data' && !(tag === 'img' && name === 'src' && SAFE_DATA_IMAGE.test(url.trim())));
        if (dangerous) problems.push(`${scheme}: URL in ${name} of <${tag}>: ${url.slice(0, 80)}`);
      }
    }
    if (tag === 'iframe') {
      const src = node.attrs.find((a) => a.name === 'src')?.value ?? '';
      let host = '';
      try {
        const url = new URL(src);
        host = url.protocol === 'https:' ? url.hostname : '';
      } catch {
        host = '';
      }
      if (!embedHosts.some((allowed) => host === allowed || host.endsWith(`.${allowed}`))) problems.push(`<iframe> of ${src || 'no src'}, not an https URL on an embed host`);
    }
    if (tag === 'meta' && node.attrs.some((a) => a.name === 'http-equiv')) problems.push('<meta http-equiv> in the page');
  }
  return problems;
}
