/** Writes a throw-away articles folder for a test, removed when the test file is over. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { scratchFolder } from './scratch.js';

export const SITE_INDEX = `---
title: Test Site
base_url: https://feeds.example.com
timezone: Asia/Shanghai
---
`;

/** `files` maps paths relative to the articles folder to their text. Returns the articles folder. */
export async function writeArticles(files: Record<string, string>): Promise<string> {
  const root = await scratchFolder('feedgen-test-');
  const articles = path.join(root, 'articles');
  for (const [relative, text] of Object.entries({ '_index.md': SITE_INDEX, ...files })) {
    const file = path.join(articles, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
  return articles;
}

export function article(frontMatter: string, body = 'Body text.'): string {
  return `---\n${frontMatter.trim()}\n---\n\n${body}\n`;
}
