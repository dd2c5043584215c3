/**
 * The Cloudflare Worker: the shared app over the static assets `feedgen worker-data` wrote (run by
 * wrangler.toml's build step). wrangler.toml runs the Worker before any asset is served, so every
 * request gets the routing, validators and headers of the other runtimes; the assets are only read.
 * Compiled into lib/ too, so that a site depending on feedgen names lib/runtimes/worker.js as `main`.
 */
import { createApp } from '../http/app.js';
import { AssetSite, type AssetFetcher } from './asset-site.js';

interface Env {
  ASSETS: AssetFetcher;
  /**
   * For tests only: "now" as an RFC 3339 instant with `Z` (the Worker's clock otherwise). A
   * variable rather than faked timers: workerd's clock stands still during a request, and what the
   * Worker serves depends on nothing else, so one binding pins every response.
   */
  FEEDGEN_NOW?: string;
}

let site: Promise<AssetSite> | undefined;
let now: () => number = () => Date.now();
const app = createApp({ site: async (at) => (await (site as Promise<AssetSite>)).at(at), now: () => now() });

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    // Once per isolate; a failed read is tried again by the next request.
    site ??= AssetSite.open(env.ASSETS).catch((error: unknown) => {
      site = undefined;
      throw error;
    });
    if (env.FEEDGEN_NOW) {
      const fixed = Date.parse(env.FEEDGEN_NOW);
      if (Number.isNaN(fixed)) throw new Error(`FEEDGEN_NOW must be an RFC 3339 instant, not "${env.FEEDGEN_NOW}"`);
      now = () => fixed;
    }
    return Promise.resolve(app.fetch(request));
  },
};
