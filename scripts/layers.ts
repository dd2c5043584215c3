/**
 * The folder-level import graph of src/: which folder imports which, and the layers it makes.
 * Exits 1 when the folders import each other in a loop, naming the loop and the imports that make it.
 *
 *   npx tsx scripts/layers.ts [SRC_DIR]
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Static imports and re-exports (`import … from '…'`, `export … from '…'`, `import '…'`) and dynamic `import('…')`. */
const SPECIFIER = /(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export interface ImportGraph {
  folders: string[];
  /** folder -> folder it imports -> one file that does, as an example. */
  edges: Map<string, Map<string, string>>;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [full] : [];
  });
}

export function importGraph(srcDir: string): ImportGraph {
  const root = path.resolve(srcDir);
  const folderOf = (file: string): string | undefined => {
    const relative = path.relative(root, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
    const [first, ...rest] = relative.split(path.sep);
    return rest.length > 0 ? first : undefined;
  };
  const edges = new Map<string, Map<string, string>>();
  const folders = new Set<string>();
  for (const file of sourceFiles(root)) {
    const from = folderOf(file);
    if (!from) continue;
    folders.add(from);
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[1] ?? match[2] ?? '';
      if (!specifier.startsWith('.')) continue;
      const to = folderOf(path.resolve(path.dirname(file), specifier));
      if (!to || to === from) continue;
      let targets = edges.get(from);
      if (!targets) edges.set(from, (targets = new Map()));
      if (!targets.has(to)) targets.set(to, path.relative(root, file));
    }
  }
  return { folders: [...folders].sort(), edges };
}

/** Folders from the bottom layer up (each imports only folders before it), or a loop. */
export function layerOrder(graph: ImportGraph): { order: string[] } | { loop: string[] } {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (folder: string): string[] | undefined => {
    if (state.get(folder) === 'done') return undefined;
    if (state.get(folder) === 'visiting') return [...stack.slice(stack.indexOf(folder)), folder];
    state.set(folder, 'visiting');
    stack.push(folder);
    for (const target of [...(graph.edges.get(folder)?.keys() ?? [])].sort()) {
      const loop = visit(target);
      if (loop) return loop;
    }
    stack.pop();
    state.set(folder, 'done');
    order.push(folder);
    return undefined;
  };
  for (const folder of graph.folders) {
    const loop = visit(folder);
    if (loop) return { loop };
  }
  return { order };
}

function main(srcDir: string): number {
  const graph = importGraph(srcDir);
  for (const folder of graph.folders) {
    const targets = [...(graph.edges.get(folder)?.keys() ?? [])].sort();
    console.log(`${folder} -> ${targets.length > 0 ? targets.join(', ') : '(nothing)'}`);
  }
  const result = layerOrder(graph);
  if ('loop' in result) {
    const steps = result.loop.slice(0, -1).map((folder, i) => {
      const next = result.loop[i + 1] as string;
      return `  ${folder} -> ${next} (${graph.edges.get(folder)?.get(next)})`;
    });
    console.error(`\nimport loop: ${result.loop.join(' -> ')}\n${steps.join('\n')}`);
    return 1;
  }
  console.log(`\nlayers, bottom up: ${result.order.join(' < ')}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = main(process.argv[2] ?? path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'src'));
}
