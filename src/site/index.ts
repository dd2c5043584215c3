/** SiteData -> the servable site: snapshot plus the store of its rendered representations. */
import type { SiteData } from '../content/model.js';
import { SiteSnapshot } from './snapshot.js';
import { RepresentationStore } from './store.js';

export function publish(data: SiteData): RepresentationStore {
  return new RepresentationStore(new SiteSnapshot(data));
}
