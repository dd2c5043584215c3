/** SiteData -> the servable site: snapshot plus the store of its rendered representations. */
import type { SiteData } from '../content/model.js';
import { SiteSnapshot } from '../site/snapshot.js';
import { RepresentationStore } from './store.js';

/** `previous`: the store of the site's last version, whose unchanged feeds are reused. */
export function publish(data: SiteData, previous?: RepresentationStore): RepresentationStore {
  return new RepresentationStore(new SiteSnapshot(data), { previous });
}
