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
}

let site: Promise<AssetSite> | undefined;
const app = createApp({ site: () => site as Promise<AssetSite> });

export default {
  fetch(request: Request, env: Env): Promise<Response> {
    // Once per isolate; a failed read is tried again by the next request.
    site ??= AssetSite.open(env.ASSETS).catch((error: unknown) => {
      site = undefined;
      throw error;
    });
    return Promise.resolve(app.fetch(request));
  },
};
