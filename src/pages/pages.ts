/** The HTML pages: the site index, one page per scope, one per article. */
import type { ArticleData } from '../content/model.js';
import { FEED_FORMATS, FORMATS, type FeedFormatSpec } from '../feeds/formats.js';
import { escapeHtml } from '../feeds/xml.js';
import { OPML_MEDIA_TYPE } from '../feeds/opml.js';
import type { Scope, SiteSnapshot } from '../site/snapshot.js';
import { formatRfc3339, type OffsetInstant } from '../time/index.js';
import { OPML_FILE, articlePath, basePathOf, feedPath, scopePath } from '../urls/paths.js';
import { renderPage, type AlternateLink } from './html.js';

export const HTML_MEDIA_TYPE = 'text/html';

/** A scope's subscription feeds, one per format, with their site-relative hrefs. */
function scopeFeeds(snapshot: SiteSnapshot, scope: Scope): Array<{ spec: FeedFormatSpec; href: string }> {
  const base = basePathOf(snapshot.site.baseUrl);
  return FEED_FORMATS.map((format) => ({ spec: FORMATS[format], href: `${base}${feedPath(scope.ref, format)}` }));
}

function alternatesFor(snapshot: SiteSnapshot, scope: Scope): AlternateLink[] {
  const title = snapshot.feedTitle(scope);
  return scopeFeeds(snapshot, scope).map(({ spec, href }) => ({ type: spec.mediaType, title: `${title} (${spec.label})`, href }));
}

function feedLinks(snapshot: SiteSnapshot, scope: Scope): string {
  const links = scopeFeeds(snapshot, scope).map(({ spec, href }) => `<a href="${escapeHtml(href)}" type="${escapeHtml(spec.mediaType)}">${spec.label}</a>`);
  return `<span class="feeds">${links.join('')}</span>`;
}

/** The small icon, else the logo. */
function favicon(scope: Scope): { icon?: string } {
  const icon = scope.icon ?? scope.logo;
  return icon ? { icon } : {};
}

function time(instant: OffsetInstant): string {
  const text = formatRfc3339(instant);
  return `<time datetime="${text}">${text.replace('T', ' ')}</time>`;
}

function itemList(snapshot: SiteSnapshot, items: readonly ArticleData[]): string {
  if (items.length === 0) return '<p>No articles yet.</p>';
  const base = basePathOf(snapshot.site.baseUrl);
  const href = (item: ArticleData) => (snapshot.site.articlePages ? base + articlePath(item.section, item.slug) : item.link);
  const rows = items.map(
    (item) =>
      `<li><a href="${escapeHtml(href(item))}">${escapeHtml(item.title)}</a> <span class="meta">${time(item.published)}</span></li>`,
  );
  return `<ul class="items">\n${rows.join('\n')}\n</ul>`;
}

function scopeLink(snapshot: SiteSnapshot, scope: Scope): string {
  return `<a href="${escapeHtml(basePathOf(snapshot.site.baseUrl) + scopePath(scope.ref))}">${escapeHtml(scope.titles[scope.titles.length - 1] ?? '')}</a>`;
}

export function renderIndexPage(snapshot: SiteSnapshot): string {
  const base = basePathOf(snapshot.site.baseUrl);
  const scopeTree = (scope: Scope): string => {
    if (scope.children.length === 0) return '';
    const rows = scope.children.map(
      (child) => `<li>${scopeLink(snapshot, child)} <span class="meta">${child.items.length} articles</span> ${feedLinks(snapshot, child)}${scopeTree(child)}</li>`,
    );
    return `<ul class="sections">\n${rows.join('\n')}\n</ul>`;
  };
  const { root, site } = snapshot;
  const body = `<h1>${escapeHtml(site.title)}</h1>
${site.description ? `<p>${escapeHtml(site.description)}</p>\n` : ''}<p>Everything: ${feedLinks(snapshot, root)} <span class="feeds"><a href="${escapeHtml(`${base}/${OPML_FILE}`)}" type="${OPML_MEDIA_TYPE}">OPML (all feeds)</a></span></p>
<h2>Sections</h2>
${scopeTree(root)}
<h2>Latest</h2>
${itemList(snapshot, snapshot.currentItems(root))}`;
  return renderPage({
    title: site.title,
    language: site.language,
    basePath: base,
    siteTitle: site.title,
    alternates: snapshot.allScopes().flatMap((scope) => alternatesFor(snapshot, scope)),
    ...favicon(root),
    body,
  });
}

export function renderScopePage(snapshot: SiteSnapshot, scope: Scope): string {
  const title = scope.titles.join(' / ');
  const children = scope.children.map((child) => `<li>${scopeLink(snapshot, child)} ${feedLinks(snapshot, child)}</li>`).join('\n');
  const body = `<h1>${escapeHtml(title)}</h1>
${scope.description ? `<p>${escapeHtml(scope.description)}</p>\n` : ''}<p>${feedLinks(snapshot, scope)}</p>
${children ? `<h2>Sections</h2>\n<ul class="sections">\n${children}\n</ul>\n` : ''}<h2>Latest</h2>
${itemList(snapshot, snapshot.currentItems(scope))}`;
  return renderPage({
    title: snapshot.feedTitle(scope),
    language: scope.language,
    basePath: basePathOf(snapshot.site.baseUrl),
    siteTitle: snapshot.site.title,
    alternates: alternatesFor(snapshot, scope),
    ...favicon(scope),
    body,
  });
}

export function renderArticlePage(snapshot: SiteSnapshot, article: ArticleData): string {
  const scope = snapshot.homeOf(article);
  const base = basePathOf(snapshot.site.baseUrl);
  const authors = article.authors.map((a) => escapeHtml(a.name)).join(', ');
  const updated = article.updated ? ` · updated ${time(article.updated)}` : '';
  const tags = article.tags.length ? `<p class="tags">${article.tags.map(escapeHtml).join(' · ')}</p>\n` : '';
  const body = `<article>
<h1>${escapeHtml(article.title)}</h1>
<p class="meta">${authors ? `${authors} · ` : ''}${time(article.published)}${updated}</p>
${article.summary ? `<p><strong>${escapeHtml(article.summary)}</strong></p>\n` : ''}${article.html}${tags}</article>
<p class="meta">In <a href="${escapeHtml(base + scopePath(scope.ref))}">${escapeHtml(scope.titles.join(' / ') || snapshot.site.title)}</a> ${feedLinks(snapshot, scope)}</p>`;
  return renderPage({
    title: `${article.title} | ${snapshot.site.title}`,
    language: article.language,
    basePath: base,
    siteTitle: snapshot.site.title,
    alternates: alternatesFor(snapshot, scope),
    canonical: article.link,
    ...favicon(scope),
    body,
  });
}
