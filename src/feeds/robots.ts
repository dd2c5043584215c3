/** robots.txt (RFC 9309): every crawler may read the site, and where its sitemaps are. */

export const ROBOTS_MEDIA_TYPE = 'text/plain';

/**
 * RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt; Google reads no more. A
 * newsroom's own file beyond it is refused (content/robots.ts).
 */
export const ROBOTS_MAX_BYTES = 500 * 1024;

/** `allowed`: the site's path (`/`, or `/news/` under a base path); `sitemaps`: absolute URLs. */
export function renderRobots(allowed: string, sitemaps: readonly string[]): string {
  return `User-agent: *\nAllow: ${allowed}\n\n${sitemaps.map((url) => `Sitemap: ${url}\n`).join('')}`;
}
