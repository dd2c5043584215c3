/** The HTML pages: the site index, one page per section, one per article. */
import type { ArticleData } from '../content/model.js';
import { feedTitle } from '../feeds/document.js';
import type { FeedScope, SiteSnapshot } from '../site/snapshot.js';
import { FEED_FORMATS, articlePath, feedPath, sectionPath, OPML_FILE, type FeedFormat } from '../site/urls.js';
import { formatRfc3339, type OffsetInstant } from '../time/index.js';
import { escapeHtml, renderPage, type AlternateLink } from './html.js';

export const FEED_MEDIA_TYPES: Record<FeedFormat, string> = {
  rss: 'application/rss+xml',
  atom: 'application/atom+xml',
  json: 'application/feed+json',
};
const FORMAT_NAMES: Record<FeedFormat, string> = { rss: 'RSS', atom: 'Atom', json: 'JSON Feed' };

function basePath(snapshot: SiteSnapshot): string {
  return new URL(snapshot.site.baseUrl).pathname.replace(/\/$/, '');
}

function alternatesFor(snapshot: SiteSnapshot, scope: FeedScope): AlternateLink[] {
  const title = feedTitle(snapshot, scope);
  return FEED_FORMATS.map((format) => ({
    type: FEED_MEDIA_TYPES[format],
    title: `${title} (${FORMAT_NAMES[format]})`,
    href: `${basePath(snapshot)}${feedPath(scope.section, format)}`,
  }));
}

function feedLinks(snapshot: SiteSnapshot, scope: FeedScope): string {
  const links = alternatesFor(snapshot, scope)
    .map((a, i) => `<a href="${escapeHtml(a.href)}" type="${escapeHtml(a.type)}">${FORMAT_NAMES[FEED_FORMATS[i] ?? 'rss']}</a>`)
    .join('');
  return `<span class="feeds">${links}</span>`;
}

function time(instant: OffsetInstant): string {
  const text = formatRfc3339(instant);
  return `<time datetime="${text}">${text.replace('T', ' ')}</time>`;
}

function itemList(snapshot: SiteSnapshot, items: readonly ArticleData[]): string {
  if (items.length === 0) return '<p>No articles yet.</p>';
  const rows = items.map(
    (item) =>
      `<li><a href="${escapeHtml(basePath(snapshot) + articlePath(item.section, item.slug))}">${escapeHtml(item.title)}</a> <span class="meta">${time(item.published)}</span></li>`,
  );
  return `<ul class="items">\n${rows.join('\n')}\n</ul>`;
}

export function renderIndexPage(snapshot: SiteSnapshot): string {
  const base = basePath(snapshot);
  const sectionTree = (scope: FeedScope): string => {
    if (scope.children.length === 0) return '';
    const rows = scope.children.map(
      (child) =>
        `<li><a href="${escapeHtml(base + sectionPath(child.section))}">${escapeHtml(child.titles[child.titles.length - 1] ?? '')}</a> ` +
        `<span class="meta">${child.items.length} articles</span> ${feedLinks(snapshot, child)}${sectionTree(child)}</li>`,
    );
    return `<ul class="sections">\n${rows.join('\n')}\n</ul>`;
  };
  const { root, site } = snapshot;
  const body = `<h1>${escapeHtml(site.title)}</h1>
${site.description ? `<p>${escapeHtml(site.description)}</p>\n` : ''}<p>Everything: ${feedLinks(snapshot, root)} <span class="feeds"><a href="${escapeHtml(`${base}/${OPML_FILE}`)}" type="text/x-opml">OPML (all feeds)</a></span></p>
<h2>Sections</h2>
${sectionTree(root)}
<h2>Latest</h2>
${itemList(snapshot, snapshot.pageItems(root, 1))}`;
  return renderPage({
    title: site.title,
    language: site.language,
    basePath: base,
    siteTitle: site.title,
    alternates: snapshot.allScopes().flatMap((scope) => alternatesFor(snapshot, scope)),
    body,
  });
}

export function renderSectionPage(snapshot: SiteSnapshot, scope: FeedScope): string {
  const base = basePath(snapshot);
  const title = scope.titles.join(' / ');
  const children = scope.children
    .map((child) => `<li><a href="${escapeHtml(base + sectionPath(child.section))}">${escapeHtml(child.titles[child.titles.length - 1] ?? '')}</a> ${feedLinks(snapshot, child)}</li>`)
    .join('\n');
  const body = `<h1>${escapeHtml(title)}</h1>
${scope.description ? `<p>${escapeHtml(scope.description)}</p>\n` : ''}<p>${feedLinks(snapshot, scope)}</p>
${children ? `<h2>Sections</h2>\n<ul class="sections">\n${children}\n</ul>\n` : ''}<h2>Latest</h2>
${itemList(snapshot, snapshot.pageItems(scope, 1))}`;
  return renderPage({
    title: feedTitle(snapshot, scope),
    language: scope.language,
    basePath: base,
    siteTitle: snapshot.site.title,
    alternates: alternatesFor(snapshot, scope),
    body,
  });
}

export function renderArticlePage(snapshot: SiteSnapshot, article: ArticleData): string {
  const scope = snapshot.scope(article.section.join('/')) ?? snapshot.root;
  const authors = article.authors.map((a) => escapeHtml(a.name)).join(', ');
  const updated = article.updated ? ` · updated ${time(article.updated)}` : '';
  const tags = article.tags.length ? `<p class="tags">${article.tags.map(escapeHtml).join(' · ')}</p>\n` : '';
  const body = `<article>
<h1>${escapeHtml(article.title)}</h1>
<p class="meta">${authors ? `${authors} · ` : ''}${time(article.published)}${updated}</p>
${article.summary ? `<p><strong>${escapeHtml(article.summary)}</strong></p>\n` : ''}${article.html}${tags}</article>
<p class="meta">In <a href="${escapeHtml(basePath(snapshot) + sectionPath(scope.section))}">${escapeHtml(scope.titles.join(' / ') || snapshot.site.title)}</a> ${feedLinks(snapshot, scope)}</p>`;
  return renderPage({
    title: `${article.title} | ${snapshot.site.title}`,
    language: article.language,
    basePath: basePath(snapshot),
    siteTitle: snapshot.site.title,
    alternates: alternatesFor(snapshot, scope),
    canonical: article.link,
    body,
  });
}
