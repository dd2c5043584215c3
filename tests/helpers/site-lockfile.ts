/**
 * A package-lock.json for a new site, cut from this checkout's: the entries that feedgen's own
 * dependencies and the site's dev dependencies reach, where they sit here, plus feedgen itself
 * from a tarball. With it `npm ci --offline` installs from npm's cache alone: the cache holds every
 * tarball this checkout's `npm ci` fetched, but none of the registry metadata that `npm install`
 * would ask the registry for to resolve version ranges.
 */

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

export interface Lockfile {
  name?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

export interface SitePackage {
  name: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** Where Node finds `name` from the package at `from` ("" for the root): the nearest node_modules up. */
function resolvePath(packages: Lockfile['packages'], from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (base === '') return undefined;
    const at = base.lastIndexOf('/node_modules/');
    base = at === -1 ? '' : base.slice(0, at);
  }
}

/** The npm registry's tarball URL: `/@scope/name/-/name-1.0.0.tgz`. */
function registryTarball(name: string, version: string): string {
  return `https://registry.npmjs.org/${name}/-/${name.slice(name.lastIndexOf('/') + 1)}-${version}.tgz`;
}

export function siteLockfile(checkout: Lockfile, feedgen: LockEntry & { resolved: string; integrity: string }, site: SitePackage): Lockfile {
  const own = checkout.packages[''] ?? {};
  const packages: Lockfile['packages'] = {
    '': { name: site.name, dependencies: site.dependencies, devDependencies: site.devDependencies },
    'node_modules/feedgen': feedgen,
  };
  const pending: Array<[from: string, name: string]> = [
    ...Object.keys(own.dependencies ?? {}).map((name): [string, string] => ['', name]),
    ...Object.keys(site.devDependencies).map((name): [string, string] => ['', name]),
  ];
  while (pending.length > 0) {
    const [from, name] = pending.pop() as [string, string];
    const at = resolvePath(checkout.packages, from, name);
    if (at === undefined || packages[at]) continue;
    const { dev, devOptional, peer, ...entry } = checkout.packages[at] as LockEntry;
    // This checkout's lockfile leaves the registry URL out (omit-lockfile-registry-resolved);
    // without it npm would ask the registry where the tarball is.
    packages[at] = { resolved: registryTarball(typeof entry.name === 'string' ? entry.name : at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length), entry.version ?? ''), ...entry };
    const peers = Object.keys(entry.peerDependencies ?? {}).filter((peerName) => !entry.peerDependenciesMeta?.[peerName]?.optional);
    for (const dependency of [...Object.keys(entry.dependencies ?? {}), ...Object.keys(entry.optionalDependencies ?? {}), ...peers]) pending.push([at, dependency]);
  }
  return { name: site.name, lockfileVersion: 3, requires: true, packages };
}
