/**
 * The one Hono app every runtime serves. The site resolves a request path to what it names (a
 * RepresentationStore from the articles, or the Worker's static assets); representation.ts does
 * the HTTP around it (caching and conditional GET). One route and no middleware: with the
 * Responder installed as a middleware, a poll's 304 went through Hono's handler chain and three
 * promises, and the Node server answered about a tenth fewer of them (measured).
 */
import { Hono } from 'hono';
import type { Representation, Resolution } from '../publish/store.js';
import { errorResponse, maxAgeCap, redirectResponse, refuseRequest } from './headers.js';
import { Responder, type RepresentationOptions } from './representation.js';

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
  const responder = new Responder(options);
  const resolutions = new WeakMap<ServedSite, Map<string, Resolution>>();

  const respond = (request: Request, site: ServedSite, resolution: Resolution, now: number): Response | Promise<Response> => {
    switch (resolution.kind) {
      case 'error':
        return errorResponse(resolution.status, resolution.reason);
      case 'redirect':
        return redirectResponse(`${site.basePath}${resolution.location}`);
      case 'found': {
        const send = (representation: Representation) => responder.respond(request, representation, maxAgeCap(site.nextChange, representation.until, now));
        const pending = resolution.representation();
        return pending instanceof Promise ? pending.then(send) : send(pending);
      }
    }
  };

  const answer = (request: Request, site: ServedSite, now: number): Response | Promise<Response> => {
    let resolved = resolutions.get(site);
    if (!resolved) resolutions.set(site, (resolved = new Map()));
    const known = resolved;
    const rawPath = rawPathOf(request.url);
    const cached = known.get(rawPath);
    if (cached) return respond(request, site, cached, now);
    const remember = (resolution: Resolution) => {
      // Bounded: a flood of random paths must not grow memory.
      if (known.size >= 10_000) known.clear();
      known.set(rawPath, resolution);
      return respond(request, site, resolution, now);
    };
    const resolution = resolve(site, rawPath);
    return resolution instanceof Promise ? resolution.then(remember) : remember(resolution);
  };

  // No promise while the site, the resolution and the representation are at hand (a poll answered
  // 304): Hono calls a lone handler directly, and the answer is sent without a microtask.
  app.all('*', (c): Response | Promise<Response> => {
    const request = c.req.raw;
    const refused = refuseRequest(request);
    if (refused) return refused;
    const now = options.now?.() ?? Date.now();
    const site = options.site(now);
    return site instanceof Promise ? site.then((current) => answer(request, current, now)) : answer(request, site, now);
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
