/**
 * Headers that keep anything an article says inert: no MIME sniffing, and a Content-Security-Policy
 * that allows no script at all (pages are static HTML and CSS). Feeds may be read cross-origin.
 */
import type { MiddlewareHandler } from 'hono';

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src * data:; media-src *; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const FEED_TYPES = /^(application\/(rss|atom)\+xml|application\/feed\+json|text\/x-opml)/;

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set('x-content-type-options', 'nosniff');
    headers.set('content-security-policy', CONTENT_SECURITY_POLICY);
    headers.set('referrer-policy', 'strict-origin-when-cross-origin');
    if (FEED_TYPES.test(headers.get('content-type') ?? '') || c.res.status === 304) {
      headers.set('access-control-allow-origin', '*');
    }
  };
}
