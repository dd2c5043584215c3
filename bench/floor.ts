/**
 * The single-thread floor of a build: read every Markdown file of a folder, run gray-matter on it
 * and render its body once with markdown-it. No validation, no time zones, no feeds, no writing.
 *
 *   node --import tsx bench/floor.ts <articles dir>
 *
 * Prints `FLOOR <seconds>`, timed from after the imports: neither tsx nor module loading counts
 * against the floor (feedgen's own figure is the whole process, start-up included).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import matter from 'gray-matter';
import MarkdownIt from 'markdown-it';

const started = performance.now();
const dir = process.argv[2];
if (!dir) throw new Error('usage: floor.ts <articles dir>');
const files = (await readdir(dir, { recursive: true })).filter((f) => f.endsWith('.md')).map((f) => path.join(dir, f));
const markdown = new MarkdownIt();
let htmlBytes = 0;
for (const file of files) {
  const text = await readFile(file, 'utf8');
  const parsed = matter(text, {});
  htmlBytes += markdown.render(parsed.content).length;
}
console.log(`${files.length} files, ${htmlBytes} characters of HTML`);
console.log(`FLOOR ${((performance.now() - started) / 1000).toFixed(3)}`);
