/**
 * A look at an output folder against the record of the run that last wrote it: which of the files
 * it wrote are no longer as it left them (their size and modification time), and which folders and
 * host files have another stamp (a name added or removed). A stat of every file and folder: 23,000
 * at 10,000 articles. A run with something to do takes it on a worker thread while this one loads
 * the site; a run whose inputs are unchanged takes it here, as it has nothing else to do meanwhile
 * (measured at 10k: starting the thread cost more than it saved). It is taken before the run writes
 * anything, as output-folder.ts stampsAfter requires.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RecordedFiles } from '../state/build-record.js';
import { fileForPath, isAsRecorded, stampOf } from './output-folder.js';

/** What a run recorded of the folder. */
export interface RecordedOutput {
  /** The files of the site's resources, named by site path (where each lies: output-folder.ts fileForPath). */
  files: RecordedFiles;
  /** Other files (the Worker's scheduled versions and manifests), named by where they lie in the folder. */
  others?: RecordedFiles;
  /** The stamp of every folder, and of the host files. */
  stamps: ReadonlyMap<string, string>;
}

export interface OutputSurvey {
  /** The recorded files that are not as written (changed, or gone): site paths of `files`, and paths of `others`. */
  changed: Set<string>;
  /** The recorded stamps that moved (folders where someone added or removed a name, host files). */
  moved: string[];
}

/** Nothing in the folder differs from the record. */
export function surveyedAsRecorded(survey: OutputSurvey): boolean {
  return survey.changed.size === 0 && survey.moved.length === 0;
}

/** The survey, on this thread. `root`: the output folder, symbolic links followed. */
export function surveyOutput(root: string, { files, others, stamps }: RecordedOutput): OutputSurvey {
  const moved: string[] = [];
  for (const [relative, stamp] of stamps) if (stampOf(path.join(root, relative)) !== stamp) moved.push(relative);
  const changed = new Set<string>();
  const look = ({ paths, sizes, mtimes }: RecordedFiles, where: (name: string) => string) => {
    for (let i = 0; i < paths.length; i++) {
      const name = paths[i] as string;
      if (!isAsRecorded(path.join(root, where(name)), { size: sizes[i] as number, mtimeMs: mtimes[i] as number })) changed.add(name);
    }
  };
  look(files, fileForPath);
  if (others) look(others, (relative) => relative);
  return { changed, moved };
}

const WORKER_SCRIPT = new URL('./output-survey-worker.js', import.meta.url);

/** What the worker is given. */
export interface SurveyJob {
  root: string;
  recorded: RecordedOutput;
}

/**
 * The survey, taken on a worker thread while this one goes on (on this thread when the worker's
 * script is not there, as under the TypeScript sources of the tests, or when the worker fails).
 */
export function surveyOutputAside(root: string, recorded: RecordedOutput): Promise<OutputSurvey> {
  const here = () => surveyOutput(root, recorded);
  if (WORKER_SCRIPT.protocol !== 'file:' || !existsSync(fileURLToPath(WORKER_SCRIPT))) return Promise.resolve(here());
  return new Promise((resolve) => {
    let settled = false;
    const settle = (survey: () => OutputSurvey) => {
      if (settled) return;
      settled = true;
      resolve(survey());
    };
    const job: SurveyJob = { root, recorded };
    const worker = new Worker(WORKER_SCRIPT, { workerData: job });
    worker.once('message', (survey: OutputSurvey) => settle(() => survey));
    worker.once('error', () => settle(here));
    worker.once('exit', () => settle(here));
  });
}
