/**
 * The Cloudflare Worker: the shared app over a site prepared at build time, behind the Workers Cache
 * API. `feedgen worker-data` (wrangler.toml's build step) writes the site's data and the entry
 * module wrangler bundles, `.generated/worker.js`, which hands that data to `createWorker`; the same
 * entry serves this repository and a site that installs feedgen as a dependency.
 */
import type { SiteData } from '../content/model.js';
import { createApp } from '../http/app.js';
import { publish } from '../publish/index.js';
import { serveThroughEdgeCache, type EdgeCache, type WaitUntil } from './edge-cache.js';

/** The part of the Workers runtime's globals used here (typed without @cloudflare/workers-types). */
interface WorkersGlobals {
  caches: { default: EdgeCache };
}

export interface FeedgenWorker {
  fetch(request: Request, env: unknown, context: WaitUntil): Promise<Response>;
}

export function createWorker(data: SiteData, version: string): FeedgenWorker {
  const store = publish(data);
  const app = createApp({ site: () => store });
  return {
    fetch(request, _env, context) {
      const cache = (globalThis as unknown as WorkersGlobals).caches.default;
      return serveThroughEdgeCache(request, cache, context, version, async (r) => app.fetch(r));
    },
  };
}
