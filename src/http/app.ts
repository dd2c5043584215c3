/**
 * The one Hono app every runtime serves. Routes resolve a request path to a resource of the current
 * site; the middleware does the HTTP (security headers, 405, caching and conditional GET).
 */
import { Hono } from 'hono';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { lookup } from '../site/resources.js';
import type { RepresentationStore } from '../site/store.js';
import { parseRequestPath } from '../site/urls.js';
import { serveRepresentations, type RepresentationEnv, type RepresentationOptions } from './middleware/representation/index.js';
import { securityHeaders } from './middleware/security/index.js';

export const MAX_URL_LENGTH = 2048;

export interface AppOptions extends RepresentationOptions {
  /** The current site; called per request, so a reload swaps it without a restart. */
  site: () => RepresentationStore | Promise<RepresentationStore>;
}

function plain(status: 400 | 404 | 405 | 414 | 500, reason: string, headers: Record<string, string> = {}): Response {
  const titles = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 414: 'URI Too Long', 500: 'Internal Server Error' };
  return new Response(`${status} ${titles[status]}: ${reason}\n`, {
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

export function createApp(options: AppOptions): Hono<RepresentationEnv> {
  const app = new Hono<RepresentationEnv>();
  app.use(securityHeaders());
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: () => plain(405, 'only GET and HEAD are served', { allow: 'GET, HEAD' }),
    }),
  );
  app.use(serveRepresentations(options));

  app.get('*', async (c) => {
    const rawPath = rawPathOf(c.req.url);
    if (c.req.url.length > MAX_URL_LENGTH) return plain(414, `URLs longer than ${MAX_URL_LENGTH} characters are not served`);
    const store = await options.site();
    const basePath = new URL(store.snapshot.site.baseUrl).pathname.replace(/\/$/, '');
    if (basePath && !(rawPath === basePath || rawPath.startsWith(`${basePath}/`))) {
      return plain(404, `this site lives under ${basePath}/`);
    }
    const parsed = parseRequestPath(rawPath.slice(basePath.length) || '/');
    if (!parsed.ok) return plain(parsed.reason.startsWith('malformed') ? 400 : 404, parsed.reason);
    const found = lookup(store.snapshot, parsed.segments, parsed.trailingSlash);
    if (found.kind === 'not-found') return plain(404, found.reason);
    if (found.kind === 'redirect') {
      return new Response(null, { status: 301, headers: { location: `${basePath}${found.location}`, 'cache-control': 'public, max-age=3600' } });
    }
    c.set('representation', await store.get(found.path, found.resource));
    return c.body(null);
  });

  app.notFound(() => plain(404, 'no such page or feed'));
  app.onError((error) => {
    console.error(error);
    return plain(500, 'the server failed to answer; this is a bug');
  });
  return app;
}

/** The path exactly as sent (still percent-encoded), without query. */
function rawPathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  const end = url.search(/[?#]/);
  return url.slice(start, end === -1 ? undefined : end);
}
