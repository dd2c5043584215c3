/**
 * Markdown -> HTML with markdown-it: CommonMark, raw HTML disabled (it is escaped, so an article
 * cannot inject markup or script), `javascript:`-style links refused by markdown-it's link check.
 * Relative links and images are made absolute against the article's own URL, because feed readers
 * show the HTML far from the site.
 */
import MarkdownIt, { type StateCore, type Token } from 'markdown-it';

type RenderEnv = { baseUrl: string };

const URL_ATTRIBUTES: Record<string, string> = { link_open: 'href', image: 'src' };

function absolutize(token: Token, baseUrl: string): void {
  const attribute = URL_ATTRIBUTES[token.type];
  if (!attribute) return;
  const value = token.attrGet(attribute);
  if (value === null) return;
  try {
    token.attrSet(attribute, new URL(value, baseUrl).href);
  } catch {
    // A value URL() cannot parse stays as markdown-it left it (already percent-encoded).
  }
}

function absoluteUrlsRule(state: StateCore): void {
  const baseUrl = (state.env as Partial<RenderEnv>).baseUrl ?? '';
  for (const token of state.tokens) {
    if (token.children) for (const child of token.children) absolutize(child, baseUrl);
    else absolutize(token, baseUrl);
  }
}

const markdown = new MarkdownIt('commonmark', { html: false, linkify: false, typographer: false });
markdown.enable(['table', 'strikethrough']);
markdown.core.ruler.push('absolute_urls', absoluteUrlsRule);

export interface RenderedBody {
  html: string;
  /** The first top-level paragraph, as HTML and as text (what summary feeds show). */
  excerpt?: { html: string; text: string };
}

/** The body as HTML, and its first paragraph, from one parse. */
export function renderBody(body: string, articleUrl: string): RenderedBody {
  const env: RenderEnv = { baseUrl: articleUrl };
  const tokens = markdown.parse(body, env);
  const html = markdown.renderer.render(tokens, markdown.options, env);
  const start = tokens.findIndex((token) => token.type === 'paragraph_open' && token.level === 0);
  const inline = tokens[start + 1];
  if (start === -1 || !inline) return { html };
  const excerptHtml = markdown.renderer.render(tokens.slice(start, start + 3), markdown.options, env).trim();
  return { html, excerpt: { html: excerptHtml, text: inlineText(inline.children ?? []).replace(/\s+/g, ' ').trim() } };
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
