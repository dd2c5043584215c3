/**
 * The Cloudflare Worker: the shared app over the site prepared at build time (`feedgen worker-data`,
 * run by wrangler.toml's build step), behind the Workers Cache API.
 */
import prepared, { version } from '../../.generated/site-data.js';
import { createApp } from '../http/app.js';
import { publishPrepared } from '../publish/index.js';
import { serveThroughEdgeCache } from './edge-cache.js';

const store = publishPrepared(prepared);
const app = createApp({ site: () => store });

export default {
  fetch(request: Request, _env: unknown, context: ExecutionContext): Promise<Response> {
    return serveThroughEdgeCache(request, caches.default, context, version, async (r) => app.fetch(r));
  },
} satisfies ExportedHandler;
