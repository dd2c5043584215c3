/**
 * The bundled site ships its publish ledger, and `npm start` or `npm test` on unchanged articles
 * must leave the checkout clean: the ledger committed must already record what they publish. (npm
 * test's first step, worker-data, brings a stale ledger up to date; this test then sees the change.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;

function committed(file: string): string | undefined {
  try {
    return execFileSync('git', ['show', `HEAD:${file}`], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

describe('articles/_ledger.tsv', () => {
  const shipped = committed('articles/_ledger.tsv');
  it.runIf(shipped !== undefined)('is committed as publishing the bundled articles leaves it', () => {
    const current = readFileSync(`${ROOT}/articles/_ledger.tsv`, 'utf8');
    expect(current === shipped, 'articles/_ledger.tsv changed when the bundled site was published: commit it (the articles or their rendering changed)').toBe(true);
  });
});
