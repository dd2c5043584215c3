/** Loads an articles folder and renders every resource of the site in-process, as the build does. */
import { readFileSync } from 'node:fs';
import { loadSite, type LoadOptions } from '../../src/content/load.js';
import type { Problem, SiteData } from '../../src/content/model.js';
import { EntryCache } from '../../src/feeds/entries.js';
import { servedContentType } from '../../src/feeds/media-types.js';
import { renderResource, type Rendered } from '../../src/publish/render.js';
import { allResources, type Resource } from '../../src/site/resources.js';
import { SiteSnapshot } from '../../src/site/snapshot.js';
import { publicationOf } from '../../src/state/history.js';
import type { Ledger } from '../../src/state/ledger.js';
import { chunksToText } from './chunks.js';

export interface RenderedResource {
  path: string;
  resource: Resource;
  /** As rendered, plus the bytes as text. */
  rendered: Rendered & { body: string };
}

export interface RenderedSite {
  data: SiteData;
  problems: Problem[];
  snapshot: SiteSnapshot;
  resources: RenderedResource[];
}

/** `history`: the ledger a run left and its "now", to render the site as that run did (else without a history). */
export async function renderSite(articlesDir: string, options: LoadOptions = {}, history?: { ledger: Ledger; now: number }): Promise<RenderedSite> {
  const { data, problems } = await loadSite(articlesDir, options);
  if (!data) throw new Error(`the site settings of ${articlesDir} are unusable: ${JSON.stringify(problems)}`);
  const snapshot = new SiteSnapshot(data, history && publicationOf(history.ledger, data, history.now));
  // One entry cache for the whole site, as the static build and the server use one.
  const entries = new EntryCache();
  const resources = [...allResources(snapshot)].map(({ path, resource }) => {
    // Files served as they are, as they are on disk.
    const rendered: Rendered =
      resource.kind === 'media'
        ? { contentType: servedContentType(resource.file.type), chunks: [new Uint8Array(readFileSync(resource.file.file))] }
        : renderResource(snapshot, resource, entries);
    return { path, resource, rendered: { ...rendered, body: chunksToText(rendered.chunks) } };
  });
  return { data, problems, snapshot, resources };
}

export type FeedResource = RenderedResource & { resource: Extract<Resource, { kind: 'feed' }> };

export function feedResources(site: RenderedSite): FeedResource[] {
  return site.resources.filter((r): r is FeedResource => r.resource.kind === 'feed');
}

export function pageResources(site: RenderedSite): RenderedResource[] {
  return site.resources.filter((r) => r.rendered.contentType.startsWith('text/html'));
}
