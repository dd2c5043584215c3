/**
 * The settings files of an articles folder, by the names the publish ledger keeps them under:
 * `_index.md` for the site, `<section>/_index.md` for each section, `_authors.yml`. Names only,
 * nothing read: the Worker's code, which has no file system, dates resources by them too.
 */
import { sectionKey } from '../urls/paths.js';

/** The settings file of the site (`articles/_index.md`) and of each section. */
export const INDEX_FILE = '_index.md';

/** Author profiles (profiles.ts). */
export const AUTHORS_FILE = '_authors.yml';

/** A section's settings file (`news/_index.md`; the site's: `_index.md`). */
export function settingsFileOf(section: readonly string[]): string {
  return section.length === 0 ? INDEX_FILE : `${sectionKey(section)}/${INDEX_FILE}`;
}
