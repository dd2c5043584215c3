/**
 * The Workers Cache API in front of the app: one location renders a resource once and then serves
 * it from its cache, across isolates and cold starts. Cached entries are keyed by the content
 * version, so a new deployment never serves the old site. Conditional GET is answered from the
 * cached response by the same rules as everywhere else.
 */
import { refuseRequest } from '../http/headers.js';
import { answerFromStored } from '../http/middleware/representation/index.js';

export interface EdgeCache {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
}

export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

export async function serveThroughEdgeCache(
  request: Request,
  cache: EdgeCache,
  context: WaitUntil,
  version: string,
  origin: (request: Request) => Promise<Response>,
): Promise<Response> {
  // Refused requests never reach the cache: a long query must not be answered from a shorter key.
  if (refuseRequest(request)) return origin(request);
  const url = new URL(request.url);
  // The query is ignored by the app, so it must not split the cache either.
  const key = new Request(`${url.origin}${url.pathname}?feedgen-version=${version}`, { method: 'GET' });
  let stored = await cache.match(key);
  if (!stored) {
    const fresh = await origin(new Request(request.url, { method: 'GET' }));
    if (fresh.status !== 200) return request.method === 'HEAD' ? new Response(null, fresh) : fresh;
    context.waitUntil(cache.put(key, fresh.clone()));
    stored = fresh;
  }
  return answerFromStored(request, stored);
}
