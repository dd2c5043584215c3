/**
 * HTTP caching for every resource, in one place: validators (strong ETag, Last-Modified),
 * Cache-Control, WebSub Link headers, conditional GET (304 / 412), content coding, the browser view
 * of a feed (headers.ts decides when), Content-Length, HEAD. The middleware installs the renderer; a
 * route only names the representation it serves: `return c.render(representation)`.
 *
 * Every variant (coding x browser view) has its own ETag, derived from the bytes' one, and any of
 * them validates: a 304 then carries the headers of the variant this request selects.
 */
import type { MiddlewareHandler } from 'hono';
import type { Representation } from '../../../publish/store.js';
import { formatHttpDate } from '../../../time/index.js';
import { evaluatePreconditions } from '../../conditional.js';
import { browserViewHeaders, capMaxAge, errorResponse, isBrowserNavigation, notModifiedHeaders, representationHeaders } from '../../headers.js';

declare module 'hono' {
  interface ContextRenderer {
    /** `maxAgeCap`: seconds until the site changes on schedule, which max-age must not run past. */
    (representation: Representation, maxAgeCap?: number): Response;
  }
}

export type ContentCoding = 'br' | 'gzip';

/** Compresses a body; runtimes without compression pass none. */
export type Compressor = (body: Uint8Array, coding: ContentCoding) => Uint8Array;

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
  return (['br', 'gzip'] as const).filter((c) => weight(c) > 0).sort((a, b) => weight(b) - weight(a))[0];
}

/** A representation as sent: compressed or not, for a feed reader or as a browser's view of it. */
interface Variant {
  coding?: ContentCoding;
  browserView: boolean;
}

/**
 * Everything about one variant that does not depend on the request, computed once; its body (and
 * the headers that count it) only when a 200 first needs it: a 304 never compresses anything.
 */
interface PreparedVariant {
  wanted: Variant;
  notModified: Record<string, string>;
  ok?: { body: Uint8Array; headers: Record<string, string> };
}

interface Prepared {
  etags: string[];
  /** Whether the representation has a browser view (feeds do). */
  viewable: boolean;
  /** By `variantKey`. */
  variants: Map<string, PreparedVariant>;
  /** Compressed bodies, shared by both views. */
  coded: Map<ContentCoding, Uint8Array>;
}

/** `"abc"` -> `"abc-view-br"`: every variant's ETag from the bytes' one. */
function variantEtag(etag: string, variant: Variant): string {
  const suffix = `${variant.browserView ? '-view' : ''}${variant.coding ? `-${variant.coding}` : ''}`;
  return suffix ? `${etag.slice(0, -1)}${suffix}"` : etag;
}

/** Cheap on the hot path: no string is built for a reader's uncompressed or compressed variant. */
function variantKey(variant: Variant): string {
  const coding = variant.coding ?? 'identity';
  return variant.browserView ? `${coding}+view` : coding;
}

function variantsOf(codings: ReadonlyArray<ContentCoding | undefined>, viewable: boolean): Variant[] {
  return (viewable ? [false, true] : [false]).flatMap((browserView) => codings.map((coding) => (coding ? { coding, browserView } : { browserView })));
}

export class Responder {
  private readonly prepared = new WeakMap<Representation, Prepared>();
  private readonly codings = new Map<string, ContentCoding | undefined>();

  constructor(private readonly options: RepresentationOptions = {}) {}

  respond(request: Request, representation: Representation, maxAgeCap?: number): Response {
    const prepared = this.prepare(representation);
    const outcome = evaluatePreconditions(request.headers, { etags: prepared.etags, lastModified: representation.lastModified });
    if (outcome === 'precondition-failed') return errorResponse(412, 'the representation has changed');
    const coding = this.coding(request, representation);
    const browserView = prepared.viewable && isBrowserNavigation(request.headers);
    const variant = this.variant(representation, prepared, coding ? { coding, browserView } : { browserView });
    // Only while a change is pending, and only when it comes sooner than max-age would run.
    const capped = maxAgeCap !== undefined && maxAgeCap < representation.maxAge;
    if (outcome === 'not-modified') return new Response(null, { status: 304, headers: capped ? withCap(variant.notModified, maxAgeCap) : variant.notModified });
    const ok = this.ok(representation, prepared, variant);
    return new Response(request.method === 'HEAD' ? null : ok.body, { status: 200, headers: capped ? withCap(ok.headers, maxAgeCap) : ok.headers });
  }

  private compresses(representation: Representation): boolean {
    return this.options.compress !== undefined && representation.body.byteLength >= (this.options.minCompressBytes ?? 1024);
  }

  private coding(request: Request, representation: Representation): ContentCoding | undefined {
    if (!this.compresses(representation)) return undefined;
    const header = request.headers.get('accept-encoding') ?? '';
    if (!this.codings.has(header)) {
      if (this.codings.size > 256) this.codings.clear();
      this.codings.set(header, negotiateCoding(header));
    }
    return this.codings.get(header);
  }

  private prepare(representation: Representation): Prepared {
    let prepared = this.prepared.get(representation);
    if (!prepared) {
      const codings = this.compresses(representation) ? [undefined, 'br' as const, 'gzip' as const] : [undefined];
      const viewable = browserViewHeaders(representation.contentType, '') !== undefined;
      const etags = variantsOf(codings, viewable).map((variant) => variantEtag(representation.etag, variant));
      prepared = { etags, viewable, variants: new Map(), coded: new Map() };
      this.prepared.set(representation, prepared);
    }
    return prepared;
  }

  private variant(representation: Representation, prepared: Prepared, wanted: Variant): PreparedVariant {
    const key = variantKey(wanted);
    let variant = prepared.variants.get(key);
    if (!variant) {
      const headers = variantHeaders(representation, wanted);
      variant = { wanted, notModified: notModifiedHeaders((name) => headers[name]) };
      prepared.variants.set(key, variant);
    }
    return variant;
  }

  private ok(representation: Representation, prepared: Prepared, variant: PreparedVariant): NonNullable<PreparedVariant['ok']> {
    if (!variant.ok) {
      const { coding } = variant.wanted;
      const body = coding && this.options.compress ? this.compressed(representation, prepared, coding, this.options.compress) : representation.body;
      variant.ok = { body, headers: variantHeaders(representation, variant.wanted, body.byteLength) };
    }
    return variant.ok;
  }

  private compressed(representation: Representation, prepared: Prepared, coding: ContentCoding, compress: Compressor): Uint8Array {
    let body = prepared.coded.get(coding);
    if (!body) prepared.coded.set(coding, (body = compress(representation.body, coding)));
    return body;
  }
}

/** A variant's headers; Content-Length only for a 200, which knows its body. */
function variantHeaders(representation: Representation, wanted: Variant, contentLength?: number): Record<string, string> {
  const headers: Record<string, string> = { ...representationHeaders(representation), etag: variantEtag(representation.etag, wanted) };
  if (contentLength !== undefined) headers['content-length'] = String(contentLength);
  if (wanted.browserView) Object.assign(headers, browserViewHeaders(headers['content-type'] ?? '', headers['cache-control'] ?? ''));
  if (representation.lastModified !== undefined) headers['last-modified'] = formatHttpDate(representation.lastModified);
  if (wanted.coding) headers['content-encoding'] = wanted.coding;
  return headers;
}

function withCap(headers: Record<string, string>, seconds: number): Record<string, string> {
  const cacheControl = headers['cache-control'];
  return cacheControl === undefined ? headers : { ...headers, 'cache-control': capMaxAge(cacheControl, seconds) };
}

export function serveRepresentations(options: RepresentationOptions = {}): MiddlewareHandler {
  const responder = new Responder(options);
  return async (c, next) => {
    c.setRenderer((representation: Representation, maxAgeCap?: number) => responder.respond(c.req.raw, representation, maxAgeCap));
    await next();
  };
}
