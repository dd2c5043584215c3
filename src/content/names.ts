/**
 * Tags and author names -> the one scope each slug makes. Names whose slugs are equal (`5G` and
 * `5g`, `Café` and `CAFÉ`) are one tag; it is called by the spelling most articles use (spellings
 * that differ only in Unicode normalization are one spelling, its NFC form), and when
 * two spellings are used by as many articles, by the one that comes first in Unicode code-point
 * order (so `5G` before `5g`: capitals sort first), which does not depend on file order.
 */
import { slugOf } from '../urls/paths.js';

export interface NameGroup {
  slug: string;
  /** The spelling the scope is called by. */
  title: string;
  /** Every spelling (NFC) and how many articles use it, most used first: the title's first. */
  spellings: Array<{ name: string; count: number }>;
}

export class NameGroups {
  /** By slug, in the order slugs were first met. */
  readonly groups = new Map<string, NameGroup>();
  private readonly slugs = new Map<string, string>();

  /** `lists`: one list of names per article (an article counts once per spelling). */
  constructor(lists: Iterable<readonly string[]>) {
    const counts = new Map<string, Map<string, number>>();
    const nfc = new Map<string, string>();
    const counted: string[] = [];
    for (const names of lists) {
      counted.length = 0;
      for (const written of names) {
        // Spellings that differ only in Unicode normalization look the same: counted as one, in NFC.
        let name = nfc.get(written);
        if (name === undefined) nfc.set(written, (name = written.normalize('NFC')));
        if (counted.includes(name)) continue;
        counted.push(name);
        const slug = this.slug(name);
        if (slug === '') continue;
        let spellings = counts.get(slug);
        if (!spellings) counts.set(slug, (spellings = new Map()));
        spellings.set(name, (spellings.get(name) ?? 0) + 1);
      }
    }
    for (const [slug, spellings] of counts) {
      const ranked = [...spellings].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      this.groups.set(slug, { slug, title: (ranked[0] as { name: string }).name, spellings: ranked });
    }
  }

  /** The slug of a name (memoized: every article's names are looked up more than once). */
  slug(name: string): string {
    let slug = this.slugs.get(name);
    if (slug === undefined) this.slugs.set(name, (slug = slugOf(name)));
    return slug;
  }

  /** The distinct non-empty slugs of one article's names, in the order written. */
  slugsOf(names: readonly string[]): string[] {
    const slugs: string[] = [];
    for (const name of names) {
      const slug = this.slug(name);
      if (slug !== '' && !slugs.includes(slug)) slugs.push(slug);
    }
    return slugs;
  }
}
