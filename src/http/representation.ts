/**
 * HTTP caching for every resource, in one place: validators (strong ETag, Last-Modified),
 * Cache-Control, WebSub Link headers, conditional GET (304 / 412), content coding, the browser view
 * of a feed (headers.ts decides when), byte ranges of files served as they are (206 / 416),
 * Content-Length, HEAD. The app (app.ts) finds the representation a request names and hands it
 * to `Responder.respond`, which answers everything else.
 *
 * Every variant (coding x browser view) has its own ETag, derived from the bytes' one, and any of
 * them validates: a 304 then carries the headers of the variant this request selects. Text is
 * compressed; audio, video, images and archives, compressed already, never are. A range request
 * is answered from the uncompressed bytes.
 */
import { isCompressibleType } from '../feeds/media-types.js';
import type { Body, Representation } from '../publish/store.js';
import { formatHttpDate } from '../time/index.js';
import { evaluatePreconditions } from './conditional.js';
import { browserViewHeaders, capMaxAge, errorResponse, isBrowserNavigation, notModifiedHeaders, representationHeaders } from './headers.js';
import { contentRange, evaluateRange } from './ranges.js';

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
  ok?: { body: Body; headers: Record<string, string> };
}

interface Prepared {
  etags: string[];
  /** Whether its body is sent compressed to clients that accept a coding. */
  compresses: boolean;
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

  /**
   * `maxAgeCap`: seconds until the site changes on schedule, which max-age must not run past. A
   * promise only when bytes are read as they are sent (StreamedBody).
   */
  respond(request: Request, representation: Representation, maxAgeCap?: number): Response | Promise<Response> {
    const prepared = this.prepare(representation);
    const outcome = evaluatePreconditions(request.headers, { etags: prepared.etags, lastModified: representation.lastModified });
    if (outcome === 'precondition-failed') return errorResponse(412, 'the representation has changed');
    // Range is defined for GET only (RFC 9110 14.2): HEAD answers as a GET without it.
    const range = representation.byteRanges && request.method === 'GET' ? request.headers.get('range') : null;
    const coding = range === null && prepared.compresses ? this.coding(request) : undefined;
    const browserView = prepared.viewable && isBrowserNavigation(request.headers);
    const variant = this.variant(representation, prepared, coding ? { coding, browserView } : { browserView });
    // Only while a change is pending, and only when it comes sooner than max-age would run.
    const capped = maxAgeCap !== undefined && maxAgeCap < representation.maxAge;
    if (outcome === 'not-modified') return new Response(null, { status: 304, headers: capped ? withCap(variant.notModified, maxAgeCap) : variant.notModified });
    const ok = this.ok(representation, prepared, variant);
    const headers = capped ? withCap(ok.headers, maxAgeCap) : ok.headers;
    const size = ok.body.byteLength;
    if (range !== null) {
      const part = evaluateRange(range, request.headers.get('if-range'), size, { etag: headers.etag as string, lastModified: representation.lastModified });
      if (part.kind === 'unsatisfiable') return errorResponse(416, `the file has ${size} bytes: ${range} asks for none of them`, { 'content-range': `bytes */${size}` });
      // A range of every byte is a 206 too: players (Safari's among them) want one for any range.
      if (part.kind === 'part') {
        const partHeaders = { ...headers, 'content-range': contentRange(part.start, part.end, size), 'content-length': String(part.end - part.start) };
        return send(ok.body, part.start, part.end, 206, partHeaders);
      }
    }
    if (request.method === 'HEAD') return new Response(null, { status: 200, headers });
    return send(ok.body, 0, size, 200, headers);
  }

  /** Text, in memory and large enough to gain from it. */
  private compresses(representation: Representation): boolean {
    const { body } = representation;
    return (
      this.options.compress !== undefined && body instanceof Uint8Array && body.byteLength >= (this.options.minCompressBytes ?? 1024) && isCompressibleType(representation.contentType)
    );
  }

  private coding(request: Request): ContentCoding | undefined {
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
      const compresses = this.compresses(representation);
      const codings = compresses ? [undefined, 'br' as const, 'gzip' as const] : [undefined];
      const viewable = browserViewHeaders(representation.contentType, '') !== undefined;
      const etags = variantsOf(codings, viewable).map((variant) => variantEtag(representation.etag, variant));
      prepared = { etags, compresses, viewable, variants: new Map(), coded: new Map() };
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
      const { body } = representation;
      const sent = coding && this.options.compress && body instanceof Uint8Array ? this.compressed(body, prepared, coding, this.options.compress) : body;
      variant.ok = { body: sent, headers: variantHeaders(representation, variant.wanted, sent.byteLength) };
    }
    return variant.ok;
  }

  private compressed(body: Uint8Array, prepared: Prepared, coding: ContentCoding, compress: Compressor): Uint8Array {
    let coded = prepared.coded.get(coding);
    if (!coded) prepared.coded.set(coding, (coded = compress(body, coding)));
    return coded;
  }
}

/** Bytes `start` to `end` of a body: a view of one in memory, or a stream of one read as it is sent. */
function send(body: Body, start: number, end: number, status: 200 | 206, headers: Record<string, string>): Response | Promise<Response> {
  if (body instanceof Uint8Array) return new Response(start === 0 && end === body.byteLength ? body : body.subarray(start, end), { status, headers });
  return body.open(start, end).then(
    (stream) => new Response(stream, { status, headers }),
    () => errorResponse(404, 'the file is no longer there'),
  );
}

/** A variant's headers; Content-Length only for a 200, which knows its body. */
function variantHeaders(representation: Representation, wanted: Variant, contentLength?: number): Record<string, string> {
  const headers: Record<string, string> = { ...representationHeaders(representation), etag: variantEtag(representation.etag, wanted) };
  if (contentLength !== undefined) headers['content-length'] = String(contentLength);
  if (representation.byteRanges) headers['accept-ranges'] = 'bytes';
  if (wanted.browserView) Object.assign(headers, browserViewHeaders(headers['content-type'] ?? '', headers['cache-control'] ?? ''));
  if (representation.lastModified !== undefined) headers['last-modified'] = formatHttpDate(representation.lastModified);
  if (wanted.coding) headers['content-encoding'] = wanted.coding;
  return headers;
}

function withCap(headers: Record<string, string>, seconds: number): Record<string, string> {
  const cacheControl = headers['cache-control'];
  return cacheControl === undefined ? headers : { ...headers, 'cache-control': capMaxAge(cacheControl, seconds) };
}
