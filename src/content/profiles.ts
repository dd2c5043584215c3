/**
 * `articles/_authors.yml`: what the author pages and feeds say about an author beyond the name
 * articles list. Optional; keyed by the name as articles write it (matched by slug, so `Ai Heping`
 * also matches `ai heping`):
 *
 *   Ai Heping:
 *     display_name: Ai Heping (艾和平)
 *     bio: Correspondent in New York.
 *     url: https://example.com/ai-heping
 *     avatar: /images/ai-heping.jpg      # an http(s) URL, or a path on the site
 */
import { slugOf } from '../urls/paths.js';
import { FieldReader, describe, type FieldProblem } from './fields.js';
import { httpUrl } from '../urls/http-url.js';
import type { FrontMatter } from './frontmatter.js';
import type { AuthorProfile } from './model.js';
import { singleLine } from './text.js';

export { AUTHORS_FILE } from './settings-files.js';
export const PROFILE_KEYS = ['display_name', 'bio', 'url', 'avatar'] as const;

export interface ProfilesRead {
  profiles: AuthorProfile[];
  problems: FieldProblem[];
  /** The line of each profile's name, for problems found later. */
  lines: Map<AuthorProfile, number>;
}

export function readAuthorProfiles(yaml: FrontMatter, baseUrl: string): ProfilesRead {
  const fields = new FieldReader(yaml);
  const profiles: AuthorProfile[] = [];
  const lines = new Map<AuthorProfile, number>();
  const slugs = new Map<string, string>();
  for (const [written, value] of Object.entries(yaml.data)) {
    const name = singleLine(written).trim();
    const record = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
    const entry = fields.nestedAt([written], record ?? {}, `author "${name}": `);
    const slug = slugOf(name);
    if (slug === '') {
      fields.error(written, `the author name "${name}" has no letter or digit, so no article's author can match it`);
      continue;
    }
    if (slugs.has(slug)) {
      fields.error(written, `"${name}" and "${slugs.get(slug)}" are one author (/authors/${slug}/): keep one entry`);
      continue;
    }
    slugs.set(slug, name);
    if (!record) {
      if (value !== null) fields.error(written, `author "${name}" must have a mapping of ${PROFILE_KEYS.join(', ')}, not ${describe(value)}`);
      continue;
    }
    entry.checkKnownKeys(PROFILE_KEYS);
    const profile: AuthorProfile = { name };
    const displayName = entry.text('display_name', singleLine);
    const bio = entry.text('bio');
    const url = readUrl(entry, 'url');
    const avatar = readUrl(entry, 'avatar', `${baseUrl}/`);
    if (displayName) profile.displayName = displayName;
    if (bio) profile.bio = bio;
    if (url) profile.url = url;
    if (avatar) profile.avatar = avatar;
    profiles.push(profile);
    lines.set(profile, fields.line(written));
  }
  return { profiles, problems: fields.problems, lines };
}

function readUrl(fields: FieldReader, key: string, base?: string): string | undefined {
  const text = fields.text(key);
  if (text === undefined) return undefined;
  const url = httpUrl(text, base);
  if (!url) fields.error(key, `"${key}" must be an absolute http(s) URL${base ? ' or a path on the site' : ''}, not "${text}"`);
  return url;
}
