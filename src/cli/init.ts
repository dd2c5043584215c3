/**
 * `feedgen init DIR`: a site of one's own, as Hugo's `hugo new site` starts one. It writes the
 * articles folder (site settings, one section, one article), a package.json that depends on
 * feedgen, a wrangler.toml whose Worker is feedgen's and the .env of wrangler's settings that
 * goes with it; then it prints the next commands.
 *
 * The wrangler.toml is feedgen's own, with only what names this checkout changed (the Worker's
 * name, the build command, the folders wrangler watches): whatever feedgen's Worker needs, a new
 * site gets with it. Likewise the site pins the wrangler that feedgen is tested with.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeBaseUrl } from '../urls/http-url.js';
import { checkZone, formatRfc3339, offsetAt } from '../time/index.js';
import { LEDGER_GITATTRIBUTES } from '../state/ledger.js';
import { UsageError, helpText, parse, type Command } from './args.js';

/** The folder feedgen runs from: its package.json and wrangler.toml sit there (src/cli or lib/cli, two up). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_BASE_URL = 'http://127.0.0.1:8787';

export const initCommand: Command = {
  name: 'init',
  summary: 'Write a new site into DIR (articles, package.json depending on feedgen, wrangler.toml) and print the next commands.',
  usage: 'feedgen init DIR [--title TEXT] [--base-url URL] [--timezone ZONE] [--feedgen SPEC]',
  options: [
    '--title TEXT      the site title (default: the folder name)',
    `--base-url URL    where the site will be published (default ${DEFAULT_BASE_URL}, what \`feedgen serve\` uses)`,
    "--timezone ZONE   the newsroom's IANA zone (default: this machine's, else UTC)",
    '--feedgen SPEC    how package.json names feedgen: a version, a tarball or folder path, a git URL',
    '                  (default: the folder this feedgen runs from, as a file: path)',
    '-h, --help        show this help',
  ],
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { title: { type: 'string' }, 'base-url': { type: 'string' }, timezone: { type: 'string' }, feedgen: { type: 'string' } },
      true,
    );
    if (values.help) {
      io.out(helpText(this));
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('give exactly one DIR, the folder to write the site into');
    const dir = path.resolve(positionals[0] as string);
    const baseUrl = normalizeBaseUrl(values['base-url'] ?? DEFAULT_BASE_URL);
    if (!baseUrl) throw new UsageError(`--base-url must be an absolute http(s) URL without query or fragment, not "${values['base-url']}"`);
    const zone = checkZone(values.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
    if (!zone.ok) {
      if (values.timezone !== undefined) throw new UsageError(`--timezone: ${zone.error}`);
    }
    const timezone = zone.ok ? zone.zone : 'UTC';
    if ((await readdir(dir).catch(() => [])).length > 0) {
      io.err(`feedgen init: ${dir} is not empty; init writes a new site into an empty or new folder\n`);
      return 1;
    }
    const folder = path.basename(dir);
    const title = values.title ?? folder;
    const spec = values.feedgen ?? `file:${relativePath(dir, PACKAGE_ROOT)}`;
    const files = await siteFiles({ name: workerName(folder), title, baseUrl, timezone, spec, now: Date.now() });
    for (const [relative, text] of files) {
      const file = path.join(dir, relative);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text, { flag: 'wx' });
    }
    const shown = path.relative(process.cwd(), dir) || '.';
    io.out(`feedgen init: wrote a new site to ${shown}/
  articles/_index.md         the site: title, base_url (${baseUrl}), timezone (${timezone})
  articles/news/_index.md    a section, News, with its own feeds
  articles/news/welcome.md   its first article
  package.json               depends on feedgen (${spec}) and wrangler
  wrangler.toml              the Cloudflare Worker: feedgen's, built by \`feedgen worker-data\`
  .env                       wrangler's settings: quiet offline (no secrets here)

Next:
  cd ${shown}
  npm install
  npx feedgen serve      # the site and its feeds at ${DEFAULT_BASE_URL}/
  npx feedgen check      # every problem in the articles as path:line: message
  npx feedgen build      # every page and feed as files in dist/, for a static host
  npx wrangler deploy    # to Cloudflare Workers (set base_url to the Worker's address first)
`);
    return 0;
  },
};

interface SiteOptions {
  name: string;
  title: string;
  baseUrl: string;
  timezone: string;
  spec: string;
  now: number;
}

async function siteFiles(site: SiteOptions): Promise<Array<[string, string]>> {
  const ownPackage = JSON.parse(await readFile(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  const wrangler = ownPackage.devDependencies?.wrangler;
  if (!wrangler) throw new Error("feedgen's package.json names no wrangler version");
  const packageJson = {
    name: site.name,
    private: true,
    type: 'module',
    engines: { node: '>=20' },
    scripts: { start: 'feedgen serve', check: 'feedgen check', build: 'feedgen build', deploy: 'wrangler deploy' },
    dependencies: { feedgen: site.spec },
    devDependencies: { wrangler },
  };
  // Minutes only, in the site's zone: how an editor writes a date.
  const written = formatRfc3339({ epochMs: Math.floor(site.now / 60_000) * 60_000, offsetSeconds: offsetAt(site.timezone, site.now) });
  const yaml = (text: string) => JSON.stringify(text);
  return [
    ['package.json', `${JSON.stringify(packageJson, null, 2)}\n`],
    ['.gitignore', 'node_modules/\ndist/\n*.rebuild-at\n.generated/\n.wrangler/\n.feedgen-cache/\n'],
    // Branches that each publish articles merge their ledgers line by line, without conflicts.
    ['articles/.gitattributes', LEDGER_GITATTRIBUTES],
    ['wrangler.toml', siteWranglerConfig(await readFile(path.join(PACKAGE_ROOT, 'wrangler.toml'), 'utf8'), site.name)],
    // wrangler's settings for working offline and quietly, as feedgen's own.
    ['.env', await readFile(path.join(PACKAGE_ROOT, '.env'), 'utf8')],
    [
      'articles/_index.md',
      `---\ntitle: ${yaml(site.title)}\ndescription: ${yaml(`News from ${site.title}`)}\n# Where the site is published: links in feeds start with it. Set it before deploying.\nbase_url: ${site.baseUrl}\ntimezone: ${site.timezone}\n---\n`,
    ],
    ['articles/news/_index.md', '---\ntitle: News\ndescription: The latest news.\n---\n'],
    [
      'articles/news/welcome.md',
      `---\ntitle: ${yaml(`Welcome to ${site.title}`)}\n# A local time in the site's zone (${site.timezone}); an offset such as +08:00 may follow.\ndate: ${written.slice(0, 16).replace('T', ' ')}\nsummary: The first article of this site.\n---\n\n` +
        'Every Markdown file under `articles/` is an article, and every folder a section with its own\n' +
        'RSS, Atom and JSON Feed. [Relative links](../) and images become absolute against the\n' +
        "article's address. Run `npx feedgen check` after editing: it names every problem as\n" +
        '`path:line: message`.\n',
    ],
  ];
}

/** feedgen's wrangler.toml with the lines that name feedgen's own checkout made this site's. */
export function siteWranglerConfig(own: string, name: string): string {
  const lines: Array<[key: string, value: string]> = [
    ['name', JSON.stringify(name)],
    // feedgen's Worker as the package installs it, compiled.
    ['main', JSON.stringify('node_modules/feedgen/lib/runtimes/worker.js')],
    ['command', JSON.stringify('npx feedgen worker-data --if-changed')],
    ['watch_dir', JSON.stringify(['articles'])],
  ];
  let config = own;
  for (const [key, value] of lines) {
    const pattern = new RegExp(`^${key} = .*$`, 'gm');
    const found = config.match(pattern)?.length ?? 0;
    if (found !== 1) throw new Error(`feedgen's wrangler.toml has ${found} "${key} = " lines, not one: init cannot adapt it`);
    config = config.replace(pattern, `${key} = ${value}`);
  }
  return config;
}

/** Worker names are lower-case letters, digits and dashes. */
function workerName(folder: string): string {
  const name = folder.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63);
  return name || 'feedgen-site';
}

function relativePath(from: string, to: string): string {
  const relative = path.relative(from, to).split(path.sep).join('/') || '.';
  return relative.startsWith('.') ? relative : `./${relative}`;
}
