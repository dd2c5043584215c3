/**
 * The one Hono app every runtime serves. The route resolves a request path to a resource of the
 * current site; middleware does the HTTP around it (405, caching and conditional GET).
 */
import { Hono } from 'hono';
import { lookup, type Resource } from '../site/resources.js';
import type { RepresentationStore } from '../site/store.js';
import { parseRequestPath } from '../site/urls.js';
import { errorResponse, redirectResponse } from './headers.js';
import { serveRepresentations, type RepresentationOptions } from './middleware/representation/index.js';

export const MAX_URL_LENGTH = 2048;

export interface AppOptions extends RepresentationOptions {
  /** The current site; called per request, so a reload swaps it without a restart. */
  site: () => RepresentationStore | Promise<RepresentationStore>;
}

export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  app.use(serveRepresentations(options));

  const resolvers = new WeakMap<RepresentationStore, Map<string, Resolution>>();
  app.all('*', async (c) => {
    // Hono answers HEAD through the GET route; everything else has nothing to act on.
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      return errorResponse(405, 'only GET and HEAD are served', { allow: 'GET, HEAD' });
    }
    if (c.req.url.length > MAX_URL_LENGTH) return errorResponse(414, `URLs longer than ${MAX_URL_LENGTH} characters are not served`);
    const store = await options.site();
    let resolved = resolvers.get(store);
    if (!resolved) resolvers.set(store, (resolved = new Map()));
    const rawPath = rawPathOf(c.req.url);
    let resolution = resolved.get(rawPath);
    if (!resolution) {
      // Bounded: a flood of random paths must not grow memory.
      if (resolved.size >= 10_000) resolved.clear();
      resolution = resolve(store, rawPath);
      resolved.set(rawPath, resolution);
    }
    switch (resolution.kind) {
      case 'error':
        return errorResponse(resolution.status, resolution.reason);
      case 'redirect':
        return redirectResponse(resolution.location);
      case 'found':
        return c.render(store.peek(resolution.path) ?? (await store.get(resolution.path, resolution.resource)));
    }
  });

  app.notFound(() => errorResponse(404, 'no such page or feed'));
  app.onError((error) => {
    console.error(error);
    return errorResponse(500, 'the server failed to answer; this is a bug');
  });
  return app;
}

type Resolution =
  | { kind: 'found'; path: string; resource: Resource }
  | { kind: 'redirect'; location: string }
  | { kind: 'error'; status: 400 | 404; reason: string };

/** A raw request path -> what it names on this site (pure, so it is cached per site version). */
function resolve(store: RepresentationStore, rawPath: string): Resolution {
  const { basePath } = store;
  if (basePath && !(rawPath === basePath || rawPath.startsWith(`${basePath}/`))) {
    return { kind: 'error', status: 404, reason: `this site lives under ${basePath}/` };
  }
  const parsed = parseRequestPath(rawPath.slice(basePath.length) || '/');
  if (!parsed.ok) return { kind: 'error', status: parsed.reason.startsWith('malformed') ? 400 : 404, reason: parsed.reason };
  const found = lookup(store.snapshot, parsed.segments, parsed.trailingSlash);
  if (found.kind === 'not-found') return { kind: 'error', status: 404, reason: found.reason };
  if (found.kind === 'redirect') return { kind: 'redirect', location: `${basePath}${found.location}` };
  return found;
}

/** The path exactly as sent (still percent-encoded), without query or fragment. */
function rawPathOf(url: string): string {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  if (start === -1) return '/';
  let end = url.length;
  for (const separator of ['?', '#']) {
    const at = url.indexOf(separator, start);
    if (at !== -1 && at < end) end = at;
  }
  return url.slice(start, end);
}
