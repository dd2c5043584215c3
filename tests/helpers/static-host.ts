/**
 * A static host reading the build's `_headers` and `_redirects` as Cloudflare Pages and Workers
 * assets do: every rule whose pattern matches adds its headers (a splat `*` matches any run of
 * characters, `:splat` in a value is replaced by what it matched), values set twice are joined with
 * ", ", and a redirect rule answers before any file.
 */
import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileForPath } from '../../src/runtimes/static.js';
import { formatHttpDate } from '../../src/time/index.js';

/**
 * Headers the host computes itself, which _headers does not decide: validators, lengths, and
 * whether it answers ranges (Accept-Ranges), which is the host's own doing.
 */
export const HOST_COMPUTED = new Set(['etag', 'last-modified', 'content-length', 'accept-ranges', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

interface Rule {
  pattern: RegExp;
  headers: Array<[string, string]>;
}

function patternOf(text: string): RegExp {
  const escaped = text.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '(.*)');
  return new RegExp(`^${escaped}$`);
}

export class StaticHost {
  private constructor(
    private readonly dir: string,
    private readonly headerRules: Rule[],
    private readonly redirects: Map<string, string>,
  ) {}

  static async open(dir: string): Promise<StaticHost> {
    const rules: Rule[] = [];
    for (const line of (await readFile(path.join(dir, '_headers'), 'utf8')).split('\n')) {
      if (line.trim() === '' || line.startsWith('#')) continue;
      if (!line.startsWith(' ')) rules.push({ pattern: patternOf(line.trim()), headers: [] });
      else {
        const at = line.indexOf(':');
        rules.at(-1)?.headers.push([line.slice(0, at).trim().toLowerCase(), line.slice(at + 1).trim()]);
      }
    }
    const redirects = new Map<string, string>();
    for (const line of (await readFile(path.join(dir, '_redirects'), 'utf8')).split('\n')) {
      const [from, to] = line.trim().split(/\s+/);
      if (from && to) redirects.set(from, to);
    }
    return new StaticHost(dir, rules, redirects);
  }

  /** The headers `_headers` gives this (percent-encoded) path. */
  headers(urlPath: string): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const rule of this.headerRules) {
      const match = rule.pattern.exec(urlPath);
      if (!match) continue;
      for (const [name, value] of rule.headers) {
        const filled = value.replaceAll(':splat', match[1] ?? '');
        headers[name] = headers[name] === undefined ? filled : `${headers[name]}, ${filled}`;
      }
    }
    return headers;
  }

  redirect(urlPath: string): string | undefined {
    return this.redirects.get(urlPath);
  }

  /** The site path of every file, as a host serves it (`index.html` as its folder), percent-encoded. */
  files(): string[] {
    const walk = (dir: string, segments: string[]): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        if (entry.isDirectory()) return walk(path.join(dir, entry.name), [...segments, entry.name]);
        if (segments.length === 0 && entry.name.startsWith('_')) return [];
        const encoded = segments.map((s) => `${encodeURIComponent(s)}/`).join('');
        return [entry.name === 'index.html' ? `/${encoded}` : `/${encoded}${encodeURIComponent(entry.name)}`];
      });
    return walk(this.dir, []).sort();
  }

  /** Last-Modified as hosts that read the file's modification time send it. */
  lastModified(urlPath: string, basePath = ''): string {
    return formatHttpDate(Math.floor(statSync(path.join(this.dir, fileForPath(urlPath.slice(basePath.length)))).mtimeMs / 1000) * 1000);
  }

  /** `basePath`: the part of the path the host serves the folder under. */
  body(urlPath: string, basePath = ''): Promise<Buffer> {
    return readFile(path.join(this.dir, fileForPath(urlPath.slice(basePath.length))));
  }
}
