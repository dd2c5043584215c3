/** Launching servers for the benchmarks: the time to their first answer, and their resident memory. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const ROOT = new URL('..', import.meta.url).pathname;

/** Resolves once `url` answers, its body read; polls every 5 ms while nothing listens there. */
export async function firstAnswer(url: string): Promise<void> {
  for (;;) {
    try {
      await (await fetch(url)).arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}

/** A process's resident memory: Linux's VmRSS, its threads included. */
export function residentBytes(pid: number): number {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kib) * 1024;
}

/**
 * Launches `feedgen serve` on `port` and stops it once `/rss.xml` has answered: the milliseconds
 * from launch to that answer, and the server's resident memory then (on Linux).
 */
export async function serveFirstResponse(articles: string, port: number, ...extra: string[]): Promise<{ ms: number; residentBytes?: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/feedgen.js', 'serve', '--articles', articles, '--port', String(port), ...extra], { cwd: ROOT, stdio: 'ignore' });
  try {
    await firstAnswer(`http://127.0.0.1:${port}/rss.xml`);
    const ms = performance.now() - started;
    return process.platform === 'linux' && child.pid !== undefined ? { ms, residentBytes: residentBytes(child.pid) } : { ms };
  } finally {
    child.kill('SIGINT');
    await new Promise((resolve) => child.once('exit', resolve));
  }
}
