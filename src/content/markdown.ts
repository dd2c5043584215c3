/**
 * Markdown -> HTML with markdown-it (CommonMark, tables, strikethrough), raw HTML included.
 * Relative links and images are made absolute against the article's own URL, because feed readers
 * show the HTML far from the site.
 *
 * What Markdown itself writes is safe by construction: text is escaped and links follow the URL
 * policy of sanitize.ts. A body with raw HTML goes through that allowlist as a whole (an element
 * may open in one HTML block and close in another); one without is not, since sanitizing costs
 * several times what rendering does. What the sanitizer removed is returned with the body line it
 * came from, for `check`.
 */
import MarkdownIt, { type StateCore, type Token } from 'markdown-it';
import { absoluteUrl, allowedUrl, sanitizeBodyHtml, type Removal } from './sanitize.js';
import { cleanText } from './text.js';

type RenderEnv = { baseUrl: string; references?: BodyReference[]; localPrefixes?: readonly string[] };

const URL_ATTRIBUTES: Record<string, string> = { link_open: 'href', image: 'src' };

/** `line`: the body line of the block that holds the token. */
function absolutize(token: Token, env: Partial<RenderEnv>, line: number): void {
  const attribute = URL_ATTRIBUTES[token.type];
  if (!attribute) return;
  const value = token.attrGet(attribute);
  if (value === null) return;
  // validateLink lets data: images through for images and links alike: a link keeps its text, as
  // the sanitizer keeps a raw <a> whose URL it refuses.
  if (token.type === 'link_open' && !allowedUrl(value, 'a')) {
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== attribute);
    return;
  }
  const url = absoluteUrl(value, env.baseUrl ?? '');
  token.attrSet(attribute, url);
  noteReference(env, url, line);
}

function noteReference(env: Partial<RenderEnv>, url: string, line: number): void {
  if (env.references && env.localPrefixes?.some((prefix) => url.startsWith(prefix)) && !env.references.some((r) => r.url === url)) env.references.push({ url, line });
}

function absoluteUrlsRule(state: StateCore): void {
  const env = state.env as Partial<RenderEnv>;
  for (const token of state.tokens) {
    const line = token.map?.[0] ?? 0;
    if (token.children) for (const child of token.children) absolutize(child, env, line);
    else absolutize(token, env, line);
  }
}

const markdown = new MarkdownIt('commonmark', { html: true, linkify: false, typographer: false });
markdown.enable(['table', 'strikethrough']);
markdown.validateLink = (url) => allowedUrl(url, 'img');
markdown.core.ruler.push('absolute_urls', absoluteUrlsRule);

export interface BodyNote {
  /** 0-based line of the body. */
  line: number;
  message: string;
}

/** A URL the body names, absolute, on the body line that names it (0-based). */
export interface BodyReference {
  url: string;
  line: number;
}

export interface RenderedBody {
  html: string;
  notes: BodyNote[];
  /** The URLs it names that start with one of the `localPrefixes` asked for, each once. */
  references: BodyReference[];
  /** The first top-level paragraph, as HTML and as text (what summary feeds show). */
  excerpt?: { html: string; text: string };
}

/** Raw HTML as the article wrote it, with the body line it starts on. */
interface RawHtml {
  text: string;
  line: number;
}

/**
 * The body as HTML, what the sanitizer removed from it, its first paragraph, and the URLs it names
 * that start with one of `localPrefixes` (the site's files, which `check` looks for), from one parse.
 */
export function renderBody(body: string, articleUrl: string, embedHosts: readonly string[], localPrefixes: readonly string[] = []): RenderedBody {
  const references: BodyReference[] = [];
  const env: RenderEnv = { baseUrl: articleUrl, references, localPrefixes };
  const tokens = markdown.parse(body, env);
  const rendered = markdown.renderer.render(tokens, markdown.options, env);
  const raw = rawHtmlOf(tokens);
  // Character references in raw HTML can name characters XML forbids (&#1;): removed like any.
  const safe = (html: string) => (raw.length === 0 ? html : cleanText(sanitizeBodyHtml(html, { baseUrl: articleUrl, embedHosts }).html));
  const result: RenderedBody = { html: rendered, notes: [], references };
  if (raw.length > 0) {
    const { html, removed, urls } = sanitizeBodyHtml(rendered, { baseUrl: articleUrl, embedHosts });
    result.html = cleanText(html);
    if (removed.length > 0) result.notes = describe(removed, raw);
    // Raw HTML's URLs, on the line of the piece that writes them (Markdown's are noted already).
    for (const { url, written } of urls) noteReference(env, url, lineOf(written, raw));
  }
  const start = tokens.findIndex((token) => token.type === 'paragraph_open' && token.level === 0);
  const inline = tokens[start + 1];
  if (start === -1 || !inline) return result;
  const excerptHtml = safe(markdown.renderer.render(tokens.slice(start, start + 3), markdown.options, env)).trim();
  result.excerpt = { html: excerptHtml, text: inlineText(inline.children ?? []).replace(/\s+/g, ' ').trim() };
  return result;
}

/** What a reader reads of inline tokens: their text, breaks as spaces, images by their alt text. */
function inlineText(tokens: Token[]): string {
  let text = '';
  for (const token of tokens) {
    if (token.type === 'text' || token.type === 'code_inline') text += token.content;
    else if (token.type === 'softbreak' || token.type === 'hardbreak') text += ' ';
    else if (token.type === 'image') text += inlineText(token.children ?? []);
  }
  return text;
}

function rawHtmlOf(tokens: Token[]): RawHtml[] {
  const raw: RawHtml[] = [];
  for (const token of tokens) {
    const line = token.map?.[0] ?? 0;
    if (token.type === 'html_block') raw.push({ text: token.content, line });
    else if (token.type === 'inline' && token.children) {
      // An inline token holds its block's text: find each piece of HTML in it to count lines.
      let from = 0;
      for (const child of token.children) {
        if (child.type !== 'html_inline') continue;
        const at = token.content.indexOf(child.content, from);
        if (at === -1) continue;
        raw.push({ text: child.content, line: line + newlines(token.content, 0, at) });
        from = at + child.content.length;
      }
    }
  }
  return raw;
}

/** One note per kind of removal, on the line of its first occurrence, with a count. */
function describe(removed: Removal[], raw: RawHtml[]): BodyNote[] {
  const byWhat = new Map<string, { removal: Removal; line: number; count: number }>();
  const cursor = { piece: 0, offset: 0 };
  for (const removal of removed) {
    const line = locate(removal, raw, cursor);
    const known = byWhat.get(removal.what);
    if (known) known.count++;
    else byWhat.set(removal.what, { removal, line, count: 1 });
  }
  return [...byWhat.values()].map(({ removal, line, count }) => ({
    line,
    message: `raw HTML: removed ${removal.what}${count > 1 ? ` (${count} times)` : ''}: ${removal.why}`,
  }));
}

/**
 * The body line a removal came from: the next opening tag of its element in the raw HTML (with
 * the attribute, and the value, when known), searching on from the previous removal's place, since
 * both run in document order. A removal found nowhere (Markdown wrote it) is put on the first line.
 */
function locate(removal: Removal, raw: RawHtml[], cursor: { piece: number; offset: number }): number {
  const opening = new RegExp(`<${escapeRegExp(removal.element)}(?=[\\s/>])[^>]*>?`, 'gi');
  const attribute = removal.attribute ? new RegExp(`[\\s"'/]${escapeRegExp(removal.attribute)}(?=[\\s=/>]|$)`, 'i') : undefined;
  const fits = (tag: string, withValue: boolean) =>
    (!attribute || attribute.test(tag)) && (!withValue || removal.value === undefined || tag.includes(removal.value));
  const search = (fromPiece: number, fromOffset: number, withValue: boolean): number | undefined => {
    for (let i = fromPiece; i < raw.length; i++) {
      const piece = raw[i] as RawHtml;
      opening.lastIndex = i === fromPiece ? fromOffset : 0;
      for (let match = opening.exec(piece.text); match; match = opening.exec(piece.text)) {
        if (!fits(match[0], withValue)) continue;
        cursor.piece = i;
        cursor.offset = match.index + 1;
        return piece.line + newlines(piece.text, 0, match.index);
      }
    }
    return undefined;
  };
  const { piece, offset } = cursor;
  return search(piece, offset, true) ?? search(piece, offset, false) ?? search(0, 0, true) ?? search(0, 0, false) ?? 0;
}

/** The body line where raw HTML first writes `text`; the first line if none does. */
function lineOf(text: string, raw: RawHtml[]): number {
  for (const piece of raw) {
    const at = piece.text.indexOf(text);
    if (at !== -1) return piece.line + newlines(piece.text, 0, at);
  }
  return 0;
}

function newlines(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
