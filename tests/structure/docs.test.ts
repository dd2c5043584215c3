/**
 * The README and docs/ stand alone in a clone: every relative link names a file of the repository
 * (and a heading of it, when it names one), none climbs out of it, and nothing cites documents a
 * clone does not have.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const DOCUMENTS = ['README.md', ...readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** The text outside fenced code blocks and inline code, where links and headings are. */
function prose(markdown: string): string {
  return markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(path.join(ROOT, file), 'utf8').replace(/^```[\s\S]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1] as string)));
}

describe.each(DOCUMENTS)('%s', (document) => {
  const text = readFileSync(path.join(ROOT, document), 'utf8');
  const links = [...prose(text).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] as string);

  it('links only inside the repository, to files and headings that exist', () => {
    for (const link of links) {
      if (/^https?:\/\//.test(link)) {
        // Addresses of the site a reader runs, not documents elsewhere.
        expect(link, `${document} links outside the repository`).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
        continue;
      }
      const [target = '', anchor] = link.split('#');
      const file = target === '' ? document : path.posix.normalize(path.posix.join(path.posix.dirname(document), target));
      expect(file.startsWith('..'), `${document}: ${link} climbs out of the repository`).toBe(false);
      expect(existsSync(path.join(ROOT, file)), `${document}: ${link} names no file`).toBe(true);
      if (anchor !== undefined && file.endsWith('.md')) expect(anchorsOf(file).has(anchor), `${document}: ${link} names no heading`).toBe(true);
    }
  });

  it('cites nothing a clone lacks', () => {
    expect(text).not.toMatch(/\.\.\/shared|CONTRACT/);
  });
});

describe('the README', () => {
  it('starts with the command that serves the bundled site and the one that runs the tests', () => {
    const first = /```sh\n([\s\S]*?)```/.exec(readFileSync(path.join(ROOT, 'README.md'), 'utf8'))?.[1] ?? '';
    expect(first).toMatch(/^npm ci && npm start\b/m);
    expect(first).toMatch(/^npm test\b/m);
  });
});
