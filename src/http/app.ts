/**
 * The one Hono app every runtime serves. The route resolves a request path to a resource of the
 * current site; middleware does the HTTP around it (caching and conditional GET).
 */
import { Hono } from 'hono';
import type { RepresentationStore } from '../publish/store.js';
import { lookup, type Lookup } from '../site/resources.js';
import { routeOf } from '../urls/routes.js';
import { errorResponse, redirectResponse, refuseRequest } from './headers.js';
import { serveRepresentations, type RepresentationOptions } from './middleware/representation/index.js';

export interface AppOptions extends RepresentationOptions {
  /** The current site; called per request, so a reload swaps it without a restart. */
  site: () => RepresentationStore | Promise<RepresentationStore>;
}

export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  app.use(serveRepresentations(options));

  const resolvers = new WeakMap<RepresentationStore, Map<string, Lookup>>();
  app.all('*', async (c) => {
    const refused = refuseRequest(c.req.raw);
    if (refused) return refused;
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
        return redirectResponse(`${store.basePath}${resolution.location}`);
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

/** A raw request path -> what it names on this site (pure, so it is cached per site version). */
function resolve(store: RepresentationStore, rawPath: string): Lookup {
  const { basePath } = store;
  if (basePath && !(rawPath === basePath || rawPath.startsWith(`${basePath}/`))) {
    return { kind: 'error', status: 404, reason: `this site lives under ${basePath}/` };
  }
  return lookup(store.snapshot, routeOf(rawPath.slice(basePath.length) || '/'));
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
