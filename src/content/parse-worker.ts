/** A worker thread of the loader: parses batches of articles (see parallel.ts). */
import { parentPort } from 'node:worker_threads';
import { runArticleJob, type ArticleJob } from './parse-article.js';

parentPort?.on('message', (jobs: ArticleJob[]) => {
  parentPort?.postMessage(jobs.map(runArticleJob));
});
