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

export function renderMarkdown(body: string, articleUrl: string): string {
  const env: RenderEnv = { baseUrl: articleUrl };
  return markdown.render(body, env);
}
