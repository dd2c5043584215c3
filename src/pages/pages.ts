/** The HTML pages: the site index, one page per scope, one per collection (`/tags/`), one per article. */
import type { ArticleData } from '../content/model.js';
import { FEED_FORMATS, FORMATS, type FeedFormatSpec } from '../feeds/formats.js';
import { escapeHtml } from '../feeds/xml.js';
import { OPML_MEDIA_TYPE } from '../feeds/opml.js';
import { COLLECTION_TITLES, type Scope, type SiteSnapshot } from '../site/snapshot.js';
import { formatRfc3339, inZone, type OffsetInstant } from '../time/index.js';
import { articlePath, basePathOf, collectedKindOf, collectionPath, feedPath, opmlPath, scopePath, type CollectedKind, type OpmlRef } from '../urls/paths.js';
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

function opmlLink(snapshot: SiteSnapshot, ref: OpmlRef, text: string): string {
  const href = `${basePathOf(snapshot.site.baseUrl)}${opmlPath(ref)}`;
  return `<a href="${escapeHtml(href)}" type="${OPML_MEDIA_TYPE}">${escapeHtml(text)}</a>`;
}

/** The scope's three feeds, and its OPML list when it has one. */
function feedLinks(snapshot: SiteSnapshot, scope: Scope, withOpml = false): string {
  const links = scopeFeeds(snapshot, scope).map(({ spec, href }) => `<a href="${escapeHtml(href)}" type="${escapeHtml(spec.mediaType)}">${spec.label}</a>`);
  if (withOpml && scope.opml) links.push(opmlLink(snapshot, { kind: 'scope', scope: scope.ref }, scope === snapshot.root ? 'OPML (all feeds)' : 'OPML'));
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

/**
 * `language`: the page's (a title in another one says so); `zone`: show the times as that zone's
 * clocks do (an edition's), else each in its article's own offset.
 */
function itemList(snapshot: SiteSnapshot, items: readonly ArticleData[], language: string, zone?: string): string {
  if (items.length === 0) return '<p>No articles yet.</p>';
  const base = basePathOf(snapshot.site.baseUrl);
  const href = (item: ArticleData) => (snapshot.site.articlePages ? base + articlePath(item.section, item.slug) : item.link);
  const rows = items.map((item) => {
    const published = zone ? inZone(item.published.epochMs, zone) : item.published;
    const lang = item.language === language ? '' : ` lang="${escapeHtml(item.language)}"`;
    return `<li><a href="${escapeHtml(href(item))}"${lang}>${escapeHtml(item.title)}</a> <span class="meta">${time(published)}</span></li>`;
  });
  return `<ul class="items">\n${rows.join('\n')}\n</ul>`;
}

function scopeHref(snapshot: SiteSnapshot, scope: Scope): string {
  return basePathOf(snapshot.site.baseUrl) + scopePath(scope.ref);
}

/** A link to a scope's page, named by its own title (the last of its chain). */
function scopeLink(snapshot: SiteSnapshot, scope: Scope, text = scope.titles[scope.titles.length - 1] ?? ''): string {
  const lang = scope.language === snapshot.site.language ? '' : ` lang="${escapeHtml(scope.language)}"`;
  return `<a href="${escapeHtml(scopeHref(snapshot, scope))}"${lang}>${escapeHtml(text)}</a>`;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

export function renderIndexPage(snapshot: SiteSnapshot): string {
  const base = basePathOf(snapshot.site.baseUrl);
  const scopeTree = (scope: Scope): string => {
    if (scope.children.length === 0) return '';
    const rows = scope.children.map(
      (child) => `<li>${scopeLink(snapshot, child)} <span class="meta">${count(child.items.length, 'article')}</span> ${feedLinks(snapshot, child)}${scopeTree(child)}</li>`,
    );
    return `<ul class="sections">\n${rows.join('\n')}\n</ul>`;
  };
  const { root, site } = snapshot;
  const editions = snapshot.collection('edition');
  const editionList = editions.length
    ? `<h2>Editions</h2>
<ul class="sections">
${editions.map((e) => `<li>${scopeLink(snapshot, e)} <span class="meta">${escapeHtml(e.language)} · ${count(e.items.length, 'article')}</span> ${feedLinks(snapshot, e, true)}</li>`).join('\n')}
</ul>
`
    : '';
  const collections = (['tag', 'author'] as const).filter((kind) => snapshot.collection(kind).length > 0);
  const collectionList = collections.length
    ? `<h2>Tags and authors</h2>
<ul class="sections">
${collections
  .map((kind) => {
    const scopes = snapshot.collection(kind);
    const href = `${base}${collectionPath(kind)}`;
    return `<li><a href="${escapeHtml(href)}">${COLLECTION_TITLES[kind]}</a> <span class="meta">${count(scopes.length, kind)}, a feed each</span> <span class="feeds">${opmlLink(snapshot, { kind: 'collection', collection: kind }, `OPML (${kind} feeds)`)}</span></li>`;
  })
  .join('\n')}
</ul>
`
    : '';
  const body = `<h1>${escapeHtml(site.title)}</h1>
${site.description ? `<p>${escapeHtml(site.description)}</p>\n` : ''}<p>Everything: ${feedLinks(snapshot, root, true)}</p>
${editionList}<h2>Sections</h2>
${scopeTree(root)}
${collectionList}<h2>Latest</h2>
${itemList(snapshot, snapshot.currentItems(root), site.language)}`;
  return renderPage({
    title: site.title,
    language: site.language,
    basePath: base,
    siteTitle: site.title,
    // The feeds the site's OPML lists: the site, its sections and editions (tags and authors: on their pages).
    alternates: (root.opml ?? [root]).flatMap((scope) => alternatesFor(snapshot, scope)),
    ...favicon(root),
    body,
  });
}

export function renderScopePage(snapshot: SiteSnapshot, scope: Scope): string {
  const base = basePathOf(snapshot.site.baseUrl);
  const collection = collectedKindOf(scope.ref);
  // A section is named by its chain (`China / World`); a tag, an author or an edition by its own
  // title, under a link to the list of its kind.
  const title = collection ? (scope.titles[scope.titles.length - 1] ?? '') : scope.titles.join(' / ');
  // Subsections are named by their own title; an edition's sections, by their whole chain.
  const children = scope.children.map((child) => `<li>${scopeLink(snapshot, child, collection ? child.titles.join(' / ') : undefined)} ${feedLinks(snapshot, child)}</li>`).join('\n');
  const up = collection ? `<p class="meta"><a href="${escapeHtml(base + collectionPath(collection))}">${COLLECTION_TITLES[collection]}</a></p>\n` : '';
  const image = scope.image ? `<img class="avatar" src="${escapeHtml(scope.image)}" alt="">\n` : '';
  const link = scope.link ? `<p><a href="${escapeHtml(scope.link)}">${escapeHtml(scope.link)}</a></p>\n` : '';
  const body = `${up}${image}<h1>${escapeHtml(title)}</h1>
${scope.description ? `<p>${escapeHtml(scope.description)}</p>\n` : ''}${link}<p>${feedLinks(snapshot, scope, true)}</p>
${children ? `<h2>Sections</h2>\n<ul class="sections">\n${children}\n</ul>\n` : ''}<h2>Latest</h2>
${itemList(snapshot, snapshot.currentItems(scope), scope.language, scope.timezone)}`;
  return renderPage({
    title: snapshot.feedTitle(scope),
    language: scope.language,
    basePath: base,
    siteTitle: snapshot.site.title,
    alternates: alternatesFor(snapshot, scope),
    ...favicon(scope),
    body,
  });
}

/** `/tags/`, `/authors/`, `/editions/`: each scope with its article count and feeds. */
export function renderCollectionPage(snapshot: SiteSnapshot, collection: CollectedKind, scopes: readonly Scope[]): string {
  const { site } = snapshot;
  const title = COLLECTION_TITLES[collection];
  const rows = scopes.map((scope) => {
    const meta = collection === 'edition' ? `${escapeHtml(scope.language)} · ${count(scope.items.length, 'article')}` : count(scope.items.length, 'article');
    return `<li>${scopeLink(snapshot, scope)} <span class="meta">${meta}</span> ${feedLinks(snapshot, scope)}</li>`;
  });
  const body = `<h1>${title}</h1>
<p>${count(scopes.length, collection)}, each with its own feeds. <span class="feeds">${opmlLink(snapshot, { kind: 'collection', collection }, 'OPML (all of them)')}</span></p>
<ul class="sections">
${rows.join('\n')}
</ul>`;
  return renderPage({
    title: `${title} | ${site.title}`,
    language: site.language,
    basePath: basePathOf(site.baseUrl),
    siteTitle: site.title,
    alternates: [],
    body,
  });
}

/** Names as links to their scope's page, where they have one. */
function nameLinks(snapshot: SiteSnapshot, kind: 'tag' | 'author', names: readonly string[]): string[] {
  return names.map((name) => {
    const scope = snapshot.scopeOfName(kind, name);
    return scope ? `<a href="${escapeHtml(scopeHref(snapshot, scope))}">${escapeHtml(name)}</a>` : escapeHtml(name);
  });
}

export function renderArticlePage(snapshot: SiteSnapshot, article: ArticleData): string {
  const scope = snapshot.homeOf(article);
  const base = basePathOf(snapshot.site.baseUrl);
  const authors = nameLinks(snapshot, 'author', article.authors.map((a) => a.name)).join(', ');
  const updated = article.updated ? ` · updated ${time(article.updated)}` : '';
  const tags = article.tags.length ? `<p class="tags">${nameLinks(snapshot, 'tag', article.tags).join(' · ')}</p>\n` : '';
  const translations = article.translations ?? [];
  const languages = translations.length
    ? `<p class="translations">Also in: ${translations
        .map((t) => `<a href="${escapeHtml(t.url)}" hreflang="${escapeHtml(t.language)}" lang="${escapeHtml(t.language)}">${escapeHtml(t.title)}</a> <span class="meta">(${escapeHtml(t.language)})</span>`)
        .join(' · ')}</p>\n`
    : '';
  const editions = article.editions.flatMap((key) => {
    const edition = snapshot.scope({ kind: 'edition', slug: key });
    return edition ? [scopeLink(snapshot, edition)] : [];
  });
  const body = `<article>
<h1>${escapeHtml(article.title)}</h1>
<p class="meta">${authors ? `${authors} · ` : ''}${time(article.published)}${updated}</p>
${languages}${article.summary ? `<p><strong>${escapeHtml(article.summary)}</strong></p>\n` : ''}${article.html}${tags}</article>
<p class="meta">In <a href="${escapeHtml(base + scopePath(scope.ref))}">${escapeHtml(scope.titles.join(' / ') || snapshot.site.title)}</a> ${feedLinks(snapshot, scope)}</p>
${editions.length ? `<p class="meta">Editions: ${editions.join(' · ')}</p>\n` : ''}`;
  return renderPage({
    title: `${article.title} | ${snapshot.site.title}`,
    language: article.language,
    basePath: base,
    siteTitle: snapshot.site.title,
    alternates: alternatesFor(snapshot, scope),
    canonical: article.link,
    ...(translations.length
      ? { languageVersions: [{ language: article.language, href: article.link }, ...translations.map((t) => ({ language: t.language, href: t.url }))] }
      : {}),
    ...favicon(scope),
    body,
  });
}
