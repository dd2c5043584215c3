/**
 * What a person sees who opens a feed URL, in real headless browsers from Debian (`chromium`,
 * `firefox-esr`; `.ci/run` installs them): the styled view of RSS and Atom, judged from what the
 * browser rendered (Chromium's DOM, and the pixels of both browsers' screenshots), not from the
 * headers the server sent. To look at the screenshots, name a folder to keep them in:
 * FEEDGEN_SCREENSHOTS=/some/folder (else they go with the test's scratch folder).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countColour, decodePng } from '../helpers/png.js';
import { scratchFolder } from '../helpers/scratch.js';
import { startServer } from '../helpers/server.js';

const run = promisify(execFile);
/** Colours of feed.css: the banner's background and the item titles and links. */
const BANNER = '#fff8d6';
const TITLE_BLUE = '#0b5cad';
const BROWSER_TIMEOUT_MS = 90_000;

let server: Awaited<ReturnType<typeof startServer>>;
let screenshots: string;
beforeAll(async () => {
  screenshots = process.env.FEEDGEN_SCREENSHOTS ?? (await scratchFolder('feedgen-browser-views-'));
  await mkdir(screenshots, { recursive: true });
  server = await startServer();
});
afterAll(() => server.close());

/** A fresh profile per run: nothing cached from an earlier one, no first-run dialogs. */
async function withProfile<T>(use: (profile: string) => Promise<T>): Promise<T> {
  const profile = await mkdtemp(path.join(tmpdir(), 'feedgen-browser-profile-'));
  try {
    return await use(profile);
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

// As root (CI), Chromium needs --no-sandbox; headless it needs no display.
const chromiumFlags = (profile: string) => ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--no-first-run', `--user-data-dir=${profile}`];

async function chromiumDom(url: string): Promise<string> {
  return withProfile(async (profile) => (await run('chromium', [...chromiumFlags(profile), '--dump-dom', url], { timeout: BROWSER_TIMEOUT_MS, maxBuffer: 16 << 20 })).stdout);
}

async function screenshot(browser: 'chromium' | 'firefox', url: string, name: string): Promise<Buffer> {
  const file = path.join(screenshots, `${name}.png`);
  await rm(file, { force: true });
  await withProfile(async (profile) => {
    const args =
      browser === 'chromium'
        ? [...chromiumFlags(profile), '--window-size=1000,900', `--screenshot=${file}`, url]
        : ['--headless', '--no-remote', '--profile', profile, '--window-size=1000,900', '--screenshot', file, url];
    await run(browser === 'chromium' ? 'chromium' : 'firefox-esr', args, { timeout: BROWSER_TIMEOUT_MS });
  });
  return readFile(file);
}

function styledView(png: Buffer): { banner: number; titles: number } {
  const image = decodePng(png);
  return { banner: countColour(image, BANNER), titles: countColour(image, TITLE_BLUE) };
}

const FEEDS: Array<[label: string, path: string, root: string, title: string]> = [
  ['RSS', '/rss.xml', '<rss', '<title>World Desk</title>'],
  ['Atom', '/china/world/atom.xml', '<feed', '<title type="text">Huawei CEO proposes negotiations with Washington</title>'],
];

describe.each(FEEDS)('the %s feed opened in a browser', (label, feedPath, root, title) => {
  it('is an XML document to Chromium, not text in a <pre>', { timeout: 2 * BROWSER_TIMEOUT_MS }, async () => {
    const dom = await chromiumDom(`${server.url}${feedPath}`);
    expect(dom.trimStart().startsWith(root), dom.slice(0, 200)).toBe(true);
    expect(dom).toContain(title);
    expect(dom).not.toContain('<pre');
  });

  it.each(['chromium', 'firefox'] as const)('is styled by feed.css in %s: banner, item titles and links', { timeout: 2 * BROWSER_TIMEOUT_MS }, async (browser) => {
    const view = styledView(await screenshot(browser, `${server.url}${feedPath}`, `${browser}-${label.toLowerCase()}`));
    // The banner is a 700 x 46 pixel box; item titles and links are drawn in the blue.
    expect(view.banner, `${browser} ${feedPath}: pixels of the banner`).toBeGreaterThan(20_000);
    expect(view.titles, `${browser} ${feedPath}: pixels of item titles and links`).toBeGreaterThan(1_000);
  });
});

describe('the check itself', () => {
  it('sees no styled view where there is none: the OPML list, which has no browser view, is text in Chromium', { timeout: 2 * BROWSER_TIMEOUT_MS }, async () => {
    const dom = await chromiumDom(`${server.url}/opml.xml`);
    expect(dom).toContain('<pre');
    const view = styledView(await screenshot('chromium', `${server.url}/opml.xml`, 'chromium-opml'));
    expect(view).toEqual({ banner: 0, titles: 0 });
  });
});
