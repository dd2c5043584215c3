/** The page frame shared by the index, scope and article pages. */
import { escapeHtml } from '../feeds/xml.js';

export interface AlternateLink {
  type: string;
  title: string;
  href: string;
}

export interface PageFrame {
  title: string;
  language: string;
  /** Site-relative root of the site, e.g. "" or "/news". */
  basePath: string;
  siteTitle: string;
  alternates: AlternateLink[];
  canonical?: string;
  /** The favicon's absolute URL. */
  icon?: string;
  /** Trusted HTML: built by the page modules from escaped parts. */
  body: string;
}

export function renderPage(frame: PageFrame): string {
  const alternates = frame.alternates
    .map((a) => `<link rel="alternate" type="${escapeHtml(a.type)}" title="${escapeHtml(a.title)}" href="${escapeHtml(a.href)}">`)
    .join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(frame.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(frame.title)}</title>
<link rel="stylesheet" href="${escapeHtml(frame.basePath)}/style.css">
${frame.canonical ? `<link rel="canonical" href="${escapeHtml(frame.canonical)}">\n` : ''}${frame.icon ? `<link rel="icon" href="${escapeHtml(frame.icon)}">\n` : ''}${alternates}
</head>
<body>
<header><a class="site" href="${escapeHtml(frame.basePath)}/">${escapeHtml(frame.siteTitle)}</a></header>
<main>
${frame.body}
</main>
</body>
</html>
`;
}
