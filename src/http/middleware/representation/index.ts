/**
 * HTTP caching for every resource, in one place: validators (strong ETag, Last-Modified),
 * Cache-Control, WebSub Link headers, conditional GET (304 / 412), content coding, Content-Length.
 * A route only names the representation it serves (`c.set('representation', …)`); this middleware
 * turns that into the response.
 */
import type { MiddlewareHandler } from 'hono';
import { formatHttpDate } from '../../../time/index.js';
import type { Representation } from '../../../site/store.js';
import { evaluatePreconditions } from '../../conditional.js';

export type ContentCoding = 'br' | 'gzip';

/** Compresses a body; runtimes without compression pass none. */
export type Compressor = (body: Uint8Array, coding: ContentCoding) => Uint8Array;

export interface RepresentationEnv {
  Variables: { representation?: Representation };
}

export interface RepresentationOptions {
  compress?: Compressor;
  /** Bodies smaller than this are sent as they are. */
  minCompressBytes?: number;
}

/** The preferred coding the client accepts (q > 0), br before gzip; undefined for identity. */
export function negotiateCoding(acceptEncoding: string | null): ContentCoding | undefined {
  if (!acceptEncoding) return undefined;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    weights.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const weight = (coding: string) => weights.get(coding) ?? weights.get('*') ?? 0;
  const best = (['br', 'gzip'] as const).filter((c) => weight(c) > 0).sort((a, b) => weight(b) - weight(a))[0];
  return best;
}

function codedEtag(etag: string, coding: ContentCoding): string {
  return `${etag.slice(0, -1)}-${coding}"`;
}

export function representationHeaders(representation: Representation, etag: string, vary: boolean): Headers {
  const headers = new Headers({
    'content-type': representation.contentType,
    etag,
    'cache-control': representation.cacheControl,
  });
  if (representation.lastModified !== undefined) headers.set('last-modified', formatHttpDate(representation.lastModified));
  if (representation.links.length > 0) headers.set('link', representation.links.join(', '));
  if (vary) headers.set('vary', 'Accept-Encoding');
  return headers;
}

/** The full response for `request`, given the representation it asks for. */
export function respond(request: Request, representation: Representation, options: RepresentationOptions = {}): Response {
  const { compress, minCompressBytes = 1024 } = options;
  const canCompress = compress !== undefined && representation.body.byteLength >= minCompressBytes;
  const coding = canCompress ? negotiateCoding(request.headers.get('accept-encoding')) : undefined;
  const etags = [representation.etag, codedEtag(representation.etag, 'br'), codedEtag(representation.etag, 'gzip')];
  const etag = coding ? codedEtag(representation.etag, coding) : representation.etag;
  const headers = representationHeaders(representation, etag, compress !== undefined);

  const outcome = evaluatePreconditions(request.headers, {
    etags: canCompress ? etags : [representation.etag],
    lastModified: representation.lastModified,
  });
  if (outcome === 'not-modified') {
    headers.delete('content-type');
    return new Response(null, { status: 304, headers });
  }
  if (outcome === 'precondition-failed') {
    return new Response('412 Precondition Failed: the representation has changed\n', {
      status: 412,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }

  let body = representation.body;
  if (coding && compress) {
    let encoded = representation.encoded.get(coding);
    if (!encoded) {
      encoded = compress(representation.body, coding);
      representation.encoded.set(coding, encoded);
    }
    body = encoded;
    headers.set('content-encoding', coding);
  }
  headers.set('content-length', String(body.byteLength));
  return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers });
}

export function serveRepresentations(options: RepresentationOptions = {}): MiddlewareHandler<RepresentationEnv> {
  return async (c, next) => {
    await next();
    const representation = c.get('representation');
    if (representation) c.res = respond(c.req.raw, representation, options);
  };
}
