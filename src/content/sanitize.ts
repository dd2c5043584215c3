/**
 * The HTML an article's body renders to -> the HTML feeds and pages carry. Newsrooms write raw
 * HTML (figures, video, tables, abbreviations, embeds); an allowlist sanitizer (sanitize-html, as
 * WordPress uses kses) keeps structure and media and drops everything else: scripts, event
 * handlers, styles, forms, script URLs, iframes from hosts not in `embed_hosts`. Relative URLs are
 * made absolute against the article's URL, since readers show the HTML far from the site.
 *
 * Each removal is reported (what, and the raw HTML it came from), so that `check` can say so.
 */
import sanitizeHtml from 'sanitize-html';

const TEXT_ELEMENTS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'code', 'em', 'strong', 'b', 'i', 'u', 's',
  'del', 'ins', 'mark', 'small', 'sub', 'sup', 'abbr', 'cite', 'q', 'dfn', 'kbd', 'samp', 'var', 'time', 'span', 'div',
  'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'a', 'figure', 'figcaption', 'details', 'summary', 'wbr', 'ruby', 'rt', 'rp',
];
const TABLE_ELEMENTS = ['table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td'];
const MEDIA_ELEMENTS = ['img', 'picture', 'source', 'audio', 'video', 'track', 'iframe'];
const ALLOWED_ELEMENTS: ReadonlySet<string> = new Set([...TEXT_ELEMENTS, ...TABLE_ELEMENTS, ...MEDIA_ELEMENTS]);

/** The only style kept: the alignment Markdown tables write (`| :-: |`). */
const CELL_STYLE = { name: 'style', values: ['text-align:left', 'text-align:right', 'text-align:center'] };

const ALLOWED_ATTRIBUTES: Record<string, sanitizeHtml.AllowedAttribute[]> = {
  '*': ['title', 'lang', 'dir'],
  a: ['href', 'hreflang'],
  img: ['src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading'],
  source: ['src', 'srcset', 'sizes', 'type', 'media', 'width', 'height'],
  audio: ['src', 'controls', 'preload', 'loop', 'muted'],
  video: ['src', 'controls', 'poster', 'preload', 'loop', 'muted', 'playsinline', 'width', 'height'],
  track: ['src', 'kind', 'srclang', 'label', 'default'],
  iframe: ['src', 'width', 'height', 'allow', 'allowfullscreen', 'loading', 'referrerpolicy', 'frameborder'],
  ol: ['start', 'reversed', 'type'],
  li: ['value'],
  th: ['colspan', 'rowspan', 'scope', CELL_STYLE],
  td: ['colspan', 'rowspan', CELL_STYLE],
  col: ['span'],
  colgroup: ['span'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  time: ['datetime'],
  details: ['open'],
};

/** Schemes a kept URL may have; images may also be data: (png, gif, jpeg, webp), as Markdown allows. */
const URL_SCHEMES = ['http', 'https', 'mailto', 'tel', 'ftp'];
const DATA_IMAGE = /^data:image\/(?:png|gif|jpeg|webp)[;,]/i;
/** Attributes holding one URL, made absolute. */
const URL_ATTRIBUTES = new Set(['href', 'src', 'poster', 'cite']);

export interface Removal {
  /** What was removed, e.g. `<script>` or `onerror on <img>`. */
  what: string;
  why: string;
  /** The element's tag name and the attribute removed from it (none: the element itself). */
  element: string;
  attribute?: string;
  /** A value the element was written with (its src, or the refused value), to tell it from others. */
  value?: string;
}

export interface SanitizedHtml {
  html: string;
  /** In document order. */
  removed: Removal[];
  /** Every URL the kept elements name (href, src, poster, srcset), absolute, with the attribute's value as written. */
  urls: Array<{ url: string; written: string }>;
}

export interface SanitizeOptions {
  /** Relative URLs are resolved against this (the article's page URL). */
  baseUrl: string;
  /** Hosts (and their subdomains) whose https iframes are kept. */
  embedHosts: readonly string[];
}

interface SeenTag {
  element: string;
  /** As written. */
  original: Record<string, string>;
  /** What the sanitizer went on with; it deletes the attributes it refuses from this object. */
  kept: Record<string, string>;
  /** `kept` as it was handed to the sanitizer. */
  prepared: Record<string, string>;
  /** Attributes removed here, before the sanitizer, with the reason. */
  refused: Map<string, string>;
}

export function sanitizeBodyHtml(html: string, options: SanitizeOptions): SanitizedHtml {
  const seen: SeenTag[] = [];
  const emptied = new Set<Record<string, string>>();
  const safe = sanitizeHtml(html, {
    allowedTags: [...ALLOWED_ELEMENTS],
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedClasses: { code: ['language-*'] },
    allowedSchemes: URL_SCHEMES,
    allowedSchemesByTag: { img: [...URL_SCHEMES, 'data'] },
    allowProtocolRelative: false,
    allowedIframeDomains: [...options.embedHosts],
    allowIframeRelativeUrls: false,
    // Styles are refused but for the exact values above: no CSS parsing needed.
    parseStyleAttributes: false,
    disallowedTagsMode: 'discard',
    selfClosing: ['img', 'br', 'hr', 'source', 'track', 'wbr', 'col'],
    transformTags: {
      '*': (element, attribs) => {
        const tag = prepare(element, attribs, options.baseUrl);
        seen.push(tag);
        return { tagName: element, attribs: tag.kept };
      },
    },
    // An iframe, image or media source left without its URL shows nothing: it goes entirely.
    exclusiveFilter: (frame) => {
      const empty = NEEDS_SOURCE.has(frame.tag) && !frame.attribs.src && !frame.attribs.srcset;
      if (empty) emptied.add(frame.attribs);
      return empty;
    },
  });
  return {
    html: safe,
    removed: seen.flatMap((tag) => removals(tag, emptied.has(tag.kept), options.embedHosts)),
    urls: seen.flatMap((tag) => (ALLOWED_ELEMENTS.has(tag.element) && !emptied.has(tag.kept) ? keptUrls(tag) : [])),
  };
}

function keptUrls({ original, kept }: SeenTag): SanitizedHtml['urls'] {
  const urls: SanitizedHtml['urls'] = [];
  for (const name of ['href', 'src', 'poster']) {
    const url = kept[name];
    if (url !== undefined) urls.push({ url, written: original[name] ?? url });
  }
  for (const [url] of srcsetCandidates(kept.srcset ?? '')) urls.push({ url, written: original.srcset ?? url });
  return urls;
}

const NEEDS_SOURCE = new Set(['iframe', 'img', 'source', 'track']);

/** Absolute URLs, and what the sanitizer cannot check by scheme alone. */
function prepare(element: string, attribs: Record<string, string>, baseUrl: string): SeenTag {
  const kept: Record<string, string> = {};
  const refused = new Map<string, string>();
  for (const [name, value] of Object.entries(attribs)) {
    if (URL_ATTRIBUTES.has(name)) kept[name] = absoluteUrl(value, baseUrl);
    else if (name === 'srcset') kept[name] = absoluteSrcset(value, baseUrl);
    else kept[name] = value;
  }
  const src = kept.src;
  if (src !== undefined && /^data:/i.test(src.trim()) && !(element === 'img' && DATA_IMAGE.test(src.trim()))) {
    delete kept.src;
    refused.set('src', URL_WHY);
  }
  if (element === 'iframe' && src !== undefined && kept.src !== undefined && !/^https:/i.test(src)) {
    delete kept.src;
  }
  return { element, original: { ...attribs }, kept, prepared: { ...kept }, refused };
}

const URL_WHY = `its URL is not allowed (${URL_SCHEMES.join(', ')}; data: only for png, gif, jpeg and webp images)`;

function removals(tag: SeenTag, emptied: boolean, embedHosts: readonly string[]): Removal[] {
  const { element, original, kept } = tag;
  if (!ALLOWED_ELEMENTS.has(element)) return [{ what: `<${element}>`, why: 'not on the allowlist', element }];
  if (emptied) {
    const what = `<${element}${original.src ? ` src="${shorten(original.src)}"` : ''}>`;
    if (element === 'iframe') {
      const allowed = embedHosts.length > 0 ? `https embeds from ${embedHosts.join(', ')} only` : 'no embeds';
      return [{ what, why: `embed_hosts allows ${allowed}`, element, ...valueOf(original.src) }];
    }
    return [{ what, why: original.src || original.srcset ? URL_WHY : 'it has no src', element, ...valueOf(original.src) }];
  }
  const found: Removal[] = [];
  for (const [name, value] of Object.entries(original)) {
    const left = kept[name];
    if (left !== undefined) {
      if (name === 'srcset' && candidateCount(left) < candidateCount(tag.prepared.srcset ?? '')) {
        found.push({ what: `part of srcset on <${element}>`, why: URL_WHY, element, attribute: name });
      }
      continue;
    }
    // An empty value is no content lost (the sanitizer drops `title=""` and the like).
    if (value.trim() === '') continue;
    const valueRefused = tag.refused.get(name) ?? (attributeAllowed(element, name) ? URL_WHY : undefined);
    found.push(
      valueRefused
        ? { what: `${name}="${shorten(value)}" on <${element}>`, why: valueRefused, element, attribute: name, value }
        : { what: `${name} on <${element}>`, why: 'not on the allowlist', element, attribute: name, value },
    );
  }
  return found;
}

function valueOf(value: string | undefined): { value?: string } {
  return value ? { value } : {};
}

function attributeAllowed(element: string, name: string): boolean {
  const listed = (list: sanitizeHtml.AllowedAttribute[] | undefined) => (list ?? []).some((a) => (typeof a === 'string' ? a === name : a.name === name));
  return listed(ALLOWED_ATTRIBUTES[element]) || listed(ALLOWED_ATTRIBUTES['*']) || (element === 'code' && name === 'class');
}

function shorten(value: string): string {
  const characters = [...value];
  return characters.length > 60 ? `${characters.slice(0, 60).join('')}…` : value;
}

/**
 * The URL policy of the allowlist, which Markdown links and images follow too: relative, or one of
 * the schemes above; data: only for the image types above, and only where `element` is an image.
 */
export function allowedUrl(url: string, element: string): boolean {
  const text = url.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return true;
  return URL_SCHEMES.includes(scheme) || (scheme === 'data' && element === 'img' && DATA_IMAGE.test(text));
}

/** A value URL() cannot parse stays as written (the sanitizer still checks its scheme). */
export function absoluteUrl(value: string, baseUrl: string): string {
  try {
    return new URL(value.trim(), baseUrl).href;
  } catch {
    return value;
  }
}

function candidateCount(srcset: string): number {
  return srcsetCandidates(srcset).length;
}

/**
 * `a.jpg 1x, /b.jpg 2x` -> [url, descriptors] pairs, split as the HTML spec's srcset parser does:
 * a URL runs to the next whitespace (a comma inside it stays), its descriptors to the next comma
 * outside parentheses.
 */
function srcsetCandidates(value: string): Array<[url: string, descriptors: string]> {
  const candidates: Array<[string, string]> = [];
  let at = 0;
  while (at < value.length) {
    while (at < value.length && /[\s,]/.test(value[at] as string)) at++;
    if (at >= value.length) break;
    const urlStart = at;
    while (at < value.length && !/\s/.test(value[at] as string)) at++;
    let url = value.slice(urlStart, at);
    let descriptors = '';
    if (url.endsWith(',')) url = url.replace(/,+$/, '');
    else {
      const descriptorStart = at;
      let depth = 0;
      while (at < value.length && (value[at] !== ',' || depth > 0)) {
        if (value[at] === '(') depth++;
        else if (value[at] === ')') depth = Math.max(0, depth - 1);
        at++;
      }
      descriptors = value.slice(descriptorStart, at).trim().replace(/\s+/g, ' ');
    }
    candidates.push([url, descriptors]);
  }
  return candidates;
}

/** Every URL of a srcset made absolute, descriptors kept. */
export function absoluteSrcset(value: string, baseUrl: string): string {
  return srcsetCandidates(value)
    .map(([url, descriptors]) => (descriptors ? `${absoluteUrl(url, baseUrl)} ${descriptors}` : absoluteUrl(url, baseUrl)))
    .join(', ');
}
