/**
 * `npm run bench`: every benchmark, each in its own process, each printing its figures next to a
 * baseline measured in the same run. Not part of `npm test`: nothing here asserts a time.
 *
 *   npm run bench                     all of them
 *   npm run bench -- serve start      some of them
 */
import { spawnSync } from 'node:child_process';

const BENCHES: Array<{ name: string; args: string[]; what: string }> = [
  { name: 'targets', args: ['bench/targets.ts'], what: "issue 22's targets at 10k articles (BENCH_TARGETS_SIZE for another size), each beside its baseline: output and cold build vs Hugo, build, worker-data and serve from the cache vs their cold runs" },
  { name: 'time', args: ['bench/time.ts'], what: 'timestamp normalizations per second (batch path)' },
  { name: 'render', args: ['bench/render.ts'], what: 'one 50-item feed page per format vs the npm feed package' },
  { name: 'build', args: ['bench/build.ts'], what: 'static build of 1k/10k/100k articles vs the single-thread floor and Hugo' },
  { name: 'incremental', args: ['bench/incremental.ts'], what: 'build from the cache after no change, one edit, one new article, vs a build without it, at 10k and 100k' },
  { name: 'serve', args: ['bench/serve.ts'], what: 'cached 50-item feed, 200 and 304 paths, vs bare node:http' },
  { name: 'start', args: ['bench/start.ts'], what: 'serve start-up without and with the cache at 10k and 100k articles, and --watch incremental update at 10k' },
  { name: 'crawl', args: ['bench/crawl.ts'], what: 'resident memory of serve while every URL of a 100k-article site is requested' },
  { name: 'media', args: ['bench/media.ts'], what: 'resident memory of serve while 20 clients read a 3 GiB media file at once' },
  { name: 'soak', args: ['bench/soak.ts'], what: '60 s load and soak on the bundled site' },
  { name: 'soak-10k', args: ['bench/soak.ts', '10000'], what: '60 s load and soak on the 10k corpus' },
  { name: 'worker-size', args: ['bench/worker-size.ts'], what: 'Worker script size at 500/2k/10k articles vs the bundled site, its assets, files changed by one publish' },
  { name: 'capacity', args: ['bench/capacity.ts'], what: 'static output and Worker assets at 1k/10k/100k articles against the Cloudflare limits' },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !BENCHES.some((b) => b.name === name));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const bench of BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.name))) {
  console.log(`\n=== ${bench.name}: ${bench.what}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...bench.args], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    console.log(`=== ${bench.name} failed (exit ${result.status})`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
