/**
 * Headers every response carries, so that nothing an article says can become active content: no
 * MIME sniffing, and a Content-Security-Policy that allows no script at all (pages are static HTML
 * and CSS). Built into each response as a plain record: mutating a response's headers afterwards
 * would cost the Node adapter its fast path.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'self'; img-src * data:; media-src *; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'referrer-policy': 'strict-origin-when-cross-origin',
};

/** Feeds are public and read by web-based readers on other origins. */
export function isFeedType(contentType: string): boolean {
  return /^(application\/(rss|atom)\+xml|application\/feed\+json|text\/x-opml)/.test(contentType);
}

export type ErrorStatus = 400 | 404 | 405 | 412 | 414 | 500;

const STATUS_TEXT: Record<ErrorStatus, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  414: 'URI Too Long',
  500: 'Internal Server Error',
};

/** A short plain-text answer that says why. */
export function errorResponse(status: ErrorStatus, reason: string, extra: Record<string, string> = {}): Response {
  return new Response(`${status} ${STATUS_TEXT[status]}: ${reason}\n`, {
    status,
    headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...extra },
  });
}

export function redirectResponse(location: string): Response {
  return new Response(null, {
    status: 301,
    headers: { ...SECURITY_HEADERS, location, 'cache-control': 'public, max-age=3600' },
  });
}
