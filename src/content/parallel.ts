/**
 * Reads and parses many articles on all cores. Markdown rendering is most of a large load, and each
 * article is independent: batches go to worker threads and to this thread alike, whichever is
 * free, and outcomes come back in order. Small loads, and runs from TypeScript sources (tests), stay on this
 * thread: starting workers costs more than it saves there.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ArticleJob, JobOutcome } from './parse-article.js';

const WORKER_SCRIPT = new URL('./parse-worker.js', import.meta.url);
const BATCH = 32;
/**
 * Measured here: a worker's start (loading the renderer, warming up its JIT) costs about what
 * parsing 2,000-3,000 articles on this thread does; 10,000 take 2.5 s on two threads, 3.9 s on one.
 */
export const PARALLEL_THRESHOLD = 4000;

export interface ParallelOptions {
  /** Below this many articles, parse on this thread only (default PARALLEL_THRESHOLD). */
  threshold?: number;
  /** Worker threads besides this one (default: one fewer than the cores). */
  workers?: number;
}

export interface JobResults {
  /** In the order of the jobs. */
  outcomes: JobOutcome[];
  /** How many threads parsed at least one article: this one, plus the worker threads that did. */
  threads: number;
}

/**
 * `settle`: applied to each outcome as it comes back, before the next batch is parsed (the loader
 * moves a large load's bodies out of memory there).
 */
export async function runArticleJobs(jobs: ArticleJob[], options: ParallelOptions = {}, settle: (outcome: JobOutcome) => JobOutcome = (outcome) => outcome): Promise<JobResults> {
  if (jobs.length === 0) return { outcomes: [], threads: 0 };
  // Loaded when there is something to parse: a start from the cache needs no Markdown renderer.
  const { runArticleJob: parseOne } = await import('./parse-article.js');
  const runArticleJob = (job: ArticleJob) => settle(parseOne(job));
  const workers = Math.min(options.workers ?? availableParallelism() - 1, Math.floor(jobs.length / BATCH));
  const canUseWorkers = WORKER_SCRIPT.protocol === 'file:' && existsSync(fileURLToPath(WORKER_SCRIPT));
  if (jobs.length < (options.threshold ?? PARALLEL_THRESHOLD) || workers < 1 || !canUseWorkers) {
    return { outcomes: jobs.map(runArticleJob), threads: jobs.length > 0 ? 1 : 0 };
  }

  const results = new Array<JobOutcome>(jobs.length);
  let next = 0;
  const take = (): [number, ArticleJob[]] | undefined => {
    if (next >= jobs.length) return undefined;
    const start = next;
    next = Math.min(jobs.length, next + BATCH);
    return [start, jobs.slice(start, next)];
  };

  // Two batches outstanding per worker: it starts the next while this thread is busy with its own.
  // Resolves with whether the worker parsed anything: it may come online after the last batch is taken.
  const runWorker = (worker: Worker) =>
    new Promise<boolean>((resolve, reject) => {
      const sent: Array<[number, ArticleJob[]]> = [];
      let parsed = false;
      const send = () => {
        const batch = take();
        if (batch) {
          sent.push(batch);
          worker.postMessage(batch[1]);
        } else if (sent.length === 0) resolve(parsed);
      };
      worker.on('message', (outcomes: JobOutcome[]) => {
        const [start] = sent.shift() as [number, ArticleJob[]];
        outcomes.forEach((outcome, i) => (results[start + i] = settle(outcome)));
        parsed = true;
        send();
      });
      worker.once('error', reject);
      worker.once('online', () => {
        send();
        send();
      });
    });

  // A larger young generation: parsing allocates many short-lived objects (measured: about 5% faster).
  const pool = Array.from({ length: workers }, () => new Worker(WORKER_SCRIPT, { resourceLimits: { maxYoungGenerationSizeMb: 64 } }));
  let parsedHere = false;
  let workersThatParsed: boolean[];
  try {
    const done = Promise.all(pool.map(runWorker));
    // This thread takes batches too, yielding between them so that worker messages get through.
    for (let batch = take(); batch; batch = take()) {
      const [start, slice] = batch;
      slice.forEach((job, i) => (results[start + i] = runArticleJob(job)));
      parsedHere = true;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    workersThatParsed = await done;
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return { outcomes: results, threads: [parsedHere, ...workersThatParsed].filter(Boolean).length };
}
