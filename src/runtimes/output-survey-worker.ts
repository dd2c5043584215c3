/** A worker thread that surveys an output folder (see output-survey.ts) and exits. */
import { parentPort, workerData } from 'node:worker_threads';
import { surveyOutput, type SurveyJob } from './output-survey.js';

const { root, recorded } = workerData as SurveyJob;
parentPort?.postMessage(surveyOutput(root, recorded));
