/**
 * What shapes feedgen's output besides the articles: its own code, the packages it runs (the
 * Markdown renderer, the HTML sanitizer, their dependencies), and the Node.js it runs on (whose ICU
 * holds the time zone data). The cache is keyed by all of it: an upgrade of any one part is a
 * different fingerprint, and everything cached under the old one is ignored.
 */
import { createHash, type Hash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** feedgen's package folder (src/state or lib/state, two up). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

let fingerprint: string | undefined;

/** This feedgen's fingerprint: its code (lib/, or src/ under tsx), its packages, this Node.js. */
export function codeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const { node, v8, icu, tz, unicode, cldr } = process.versions as Record<string, string | undefined>;
  fingerprint = fingerprintOf(path.dirname(path.dirname(fileURLToPath(import.meta.url))), PACKAGE_ROOT, { node, v8, icu, tz, unicode, cldr });
  return fingerprint;
}

/**
 * `codeRoot`: the folder of the code, hashed whole; `packageRoot`: the folder of its package.json,
 * whose run-time dependencies (and theirs) are hashed by name and size of every file, their
 * package.json whole, so that an upgrade or a patch shows; `runtime`: the versions of the platform.
 */
export function fingerprintOf(codeRoot: string, packageRoot: string, runtime: Record<string, string | undefined>): string {
  const hash = createHash('sha256');
  hashFiles(hash, codeRoot, (name) => /\.(js|ts|json)$/.test(name), true);
  for (const folder of dependencyFolders(packageRoot)) {
    hash.update(`\0${path.basename(folder)}\0`);
    hashFiles(hash, folder, () => true, false);
  }
  hash.update(JSON.stringify(runtime));
  return hash.digest('base64url');
}

/** The folders of the packages a package depends on at run time, and theirs, each once. */
function dependencyFolders(packageRoot: string): string[] {
  const folders = new Set<string>();
  const visit = (from: string): void => {
    let manifest: { dependencies?: Record<string, string> };
    try {
      manifest = JSON.parse(readFileSync(path.join(from, 'package.json'), 'utf8')) as typeof manifest;
    } catch {
      return;
    }
    const require = createRequire(path.join(from, 'package.json'));
    for (const name of Object.keys(manifest.dependencies ?? {}).sort()) {
      const folder = packageFolder(require, name);
      if (folder === undefined || folders.has(folder)) continue;
      folders.add(folder);
      visit(folder);
    }
  };
  visit(packageRoot);
  return [...folders].sort();
}

/** Where a package is installed, seen from a package that requires it (undefined when it is not). */
function packageFolder(require: NodeRequire, name: string): string | undefined {
  for (const base of require.resolve.paths(name) ?? []) {
    const folder = path.join(base, name);
    try {
      readFileSync(path.join(folder, 'package.json'));
      return folder;
    } catch {
      // Not in this node_modules: the next one up.
    }
  }
  return undefined;
}

/** `whole`: contents too (feedgen's own code); else names and sizes, and package.json whole. */
function hashFiles(hash: Hash, root: string, include: (name: string) => boolean, whole: boolean): void {
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(file);
      } else if (include(entry.name)) {
        const relative = path.relative(root, file);
        if (whole || relative === 'package.json') hash.update(`${relative}\0`).update(readFileSync(file));
        else hash.update(`${relative}\0${readFileSize(file)}\0`);
      }
    }
  };
  walk(root);
}

function readFileSize(file: string): number {
  return statSync(file, { throwIfNoEntry: false })?.size ?? -1;
}
