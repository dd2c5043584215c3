/**
 * The one Hono app every runtime serves. The site resolves a request path to what it names (a
 * RepresentationStore from the articles, or the Worker's static assets); middleware does the HTTP
 * around it (caching and conditional GET).
 */
import { Hono } from 'hono';
import type { Resolution } from '../publish/store.js';
import { errorResponse, maxAgeCap, redirectResponse, refuseRequest } from './headers.js';
import { serveRepresentations, type RepresentationOptions } from './middleware/representation/index.js';

/** One version of a site, as the app serves it. */
export interface ServedSite {
  /** The path part of the site's base URL, without trailing slash: "" or e.g. "/news". */
  readonly basePath: string;
  /** `sitePath`: raw (percent-encoded), relative to the base path. */
  resolve(sitePath: string): Resolution | Promise<Resolution>;
  /**
   * When this version stops being the site (a scheduled article goes out or expires): no cache
   * keeps a response past it. An article aging out of the news sitemap is not such a change: the
   * news sitemap bounds its own max-age (ResponseFacts.until).
   */
  readonly nextChange?: number | undefined;
}

export interface AppOptions extends RepresentationOptions {
  /**
   * The site at `now`; called per request, so a reload, or a scheduled change coming due, swaps it
   * without a restart.
   */
  site: (now: number) => ServedSite | Promise<ServedSite>;
  /** "Now" for each request (default: the clock); fixed by tests and `--now`. */
  now?: () => number;
}

export function createApp(options: AppOptions): Hono {
  const app = new Hono();
  app.use(serveRepresentations(options));

  const resolutions = new WeakMap<ServedSite, Map<string, Resolution>>();
  app.all('*', async (c) => {
    const refused = refuseRequest(c.req.raw);
    if (refused) return refused;
    const now = options.now?.() ?? Date.now();
    const site = await options.site(now);
    let resolved = resolutions.get(site);
    if (!resolved) resolutions.set(site, (resolved = new Map()));
    const rawPath = rawPathOf(c.req.url);
    let resolution = resolved.get(rawPath);
    if (!resolution) {
      resolution = await resolve(site, rawPath);
      // Bounded: a flood of random paths must not grow memory.
      if (resolved.size >= 10_000) resolved.clear();
      resolved.set(rawPath, resolution);
    }
    switch (resolution.kind) {
      case 'error':
        return errorResponse(resolution.status, resolution.reason);
      case 'redirect':
        return redirectResponse(`${site.basePath}${resolution.location}`);
      case 'found': {
        const pending = resolution.representation();
        const representation = pending instanceof Promise ? await pending : pending;
        return c.render(representation, maxAgeCap(site.nextChange, representation.until, now));
      }
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
function resolve(site: ServedSite, rawPath: string): Resolution | Promise<Resolution> {
  const { basePath } = site;
  if (basePath && !(rawPath === basePath || rawPath.startsWith(`${basePath}/`))) {
    return { kind: 'error', status: 404, reason: `this site lives under ${basePath}/` };
  }
  return site.resolve(rawPath.slice(basePath.length) || '/');
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
