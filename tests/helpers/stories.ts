/**
 * The stories of the property tests that edit a site step by step (the state fuzzer, the
 * incremental build): three sections, one nested, three tags, and a story's file as written.
 */
export const SECTIONS = ['news', 'sport', 'news/local'] as const;
export const TAGS = ['alpha', 'beta', 'gamma'] as const;

export interface Story {
  section: string;
  slug: string;
  title: string;
  /** Epoch ms: its `date` (first published, or scheduled). */
  date: number;
  tags: string[];
  body: string;
  author?: string;
  expires?: number;
}

/** The article key of a story: its path in the articles folder, without `.md`. */
export const keyOf = (story: Story) => `${story.section}/${story.slug}`;
/** An instant as RFC 3339 UTC, whole seconds: `--now`. */
export const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
/** An instant as front matter writes a local time (the test sites are in UTC). */
export const minutes = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function storyText(story: Story): string {
  const lines = [`title: ${JSON.stringify(story.title)}`, `date: ${minutes(story.date)}`];
  if (story.author !== undefined) lines.push(`author: ${story.author}`);
  lines.push(`tags: [${story.tags.join(', ')}]`);
  if (story.expires !== undefined) lines.push(`expires: ${minutes(story.expires)}`);
  return `---\n${lines.join('\n')}\n---\n\n${story.body}\n`;
}
