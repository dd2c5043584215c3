/** scripts/layers.ts: src/ has no import loop between folders, and the script does catch one. */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { importGraph, layerOrder } from '../../scripts/layers.js';
import { scratchFolder } from '../helpers/scratch.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
/** tsx keeps no cache in the temporary folder. */
const TSX = { cwd: ROOT, env: { ...process.env, TSX_DISABLE_CACHE: '1' } };

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await scratchFolder('feedgen-layers-');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

describe('the folders of src/', () => {
  it('import each other without a loop: each only folders below it in the printed order', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/layers.ts'], TSX);
    const order = /layers, bottom up: (.+)/.exec(stdout)?.[1]?.split(' < ') ?? [];
    const graph = importGraph(path.join(ROOT, 'src'));
    expect([...order].sort()).toEqual(graph.folders);
    for (const [from, targets] of graph.edges) {
      for (const to of targets.keys()) expect(order.indexOf(to), `${from} imports ${to}`).toBeLessThan(order.indexOf(from));
    }
    // The bottom: how messages word things, then time, which needs nothing else.
    expect(graph.edges.get('words')).toBeUndefined();
    expect([...(graph.edges.get('time')?.keys() ?? [])]).toEqual(['words']);
    expect([...graph.edges.values()].some((targets) => targets.has('cli'))).toBe(false);
  });
});

describe('scripts/layers.ts', () => {
  it('finds a loop through static, re-exported and dynamic imports, and exits 1', async () => {
    const dir = await tree({
      'a/one.ts': "import { two } from '../b/two.js';\nexport const one = two;\n",
      'b/two.ts': "export { three as two } from '../c/three.js';\n",
      'c/three.ts': "export const three = () => import('../a/one.js');\n",
      'd/leaf.ts': "import type { X } from 'hono';\nexport type Y = X;\n",
    });
    expect(layerOrder(importGraph(dir))).toEqual({ loop: ['a', 'b', 'c', 'a'] });
    const failed = await run(process.execPath, ['--import', 'tsx', 'scripts/layers.ts', dir], TSX).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain('import loop: a -> b -> c -> a');
    expect(failed?.stderr).toContain('a -> b (a/one.ts)');
  });

  it('orders folders that import only downwards', () => {
    const graph = { folders: ['a', 'b', 'c'], edges: new Map([['c', new Map([['b', 'c/x.ts']])], ['b', new Map([['a', 'b/y.ts']])]]) };
    expect(layerOrder(graph)).toEqual({ order: ['a', 'b', 'c'] });
  });
});
