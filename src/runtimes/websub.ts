/**
 * WebSub publishing: tells the hub which topics (subscription feeds) have new bytes, so that it
 * fetches them and pushes them to subscribers. One form POST per topic, `hub.mode=publish` and
 * `hub.url=<topic>`, as hubs take it. A hub that fails is reported and never fails the run.
 */
import { lastModifiedOf } from '../site/modified.js';
import { allResources } from '../site/resources.js';
import type { SiteSnapshot } from '../site/snapshot.js';

export interface PingReport {
  pinged: string[];
  failed: Array<{ url: string; reason: string }>;
}

const PING_TIMEOUT_MS = 10_000;

export async function pingHub(hub: string, topics: readonly string[]): Promise<PingReport> {
  const report: PingReport = { pinged: [], failed: [] };
  await Promise.all(
    topics.map(async (url) => {
      try {
        const response = await fetch(hub, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ 'hub.mode': 'publish', 'hub.url': url }).toString(),
          signal: AbortSignal.timeout(PING_TIMEOUT_MS),
        });
        await response.arrayBuffer();
        if (response.ok) report.pinged.push(url);
        else report.failed.push({ url, reason: `the hub answered ${response.status}` });
      } catch (error) {
        report.failed.push({ url, reason: (error as Error).message });
      }
    }),
  );
  return report;
}

/** One line per failure, for the log: a failed ping is worth seeing, and never fatal. */
export function describePings(hub: string, report: PingReport): string[] {
  const lines = report.failed.map(({ url, reason }) => `feedgen: WebSub ping to ${hub} for ${url} failed: ${reason}`);
  if (report.pinged.length > 0) lines.push(`feedgen: WebSub hub ${hub} told of ${report.pinged.length} changed feeds`);
  return lines;
}

/**
 * Tells the site's hub (if it has one) of every subscription feed that changed after `since`, the
 * latest run before this one (state/history.ts): what this run recorded, or what went out on a
 * schedule since. Archives are no topics. Returns lines for the log.
 */
export async function announceChanges(snapshot: SiteSnapshot, since: number): Promise<string[]> {
  const { hub, baseUrl } = snapshot.site;
  if (!hub) return [];
  const topics: string[] = [];
  for (const { path, resource } of allResources(snapshot)) {
    if (resource.kind !== 'feed' || resource.archive !== undefined) continue;
    if ((lastModifiedOf(snapshot, resource) ?? 0) > since) topics.push(`${baseUrl}${path}`);
  }
  return topics.length === 0 ? [] : describePings(hub, await pingHub(hub, topics));
}
