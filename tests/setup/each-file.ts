/**
 * Runs before each test file, in its worker. Its afterAll hook, registered before any of the
 * file's own, runs after them all: the scratch folders are gone when the file is over, whether the
 * file's modules were loaded for it alone or shared with the files before it (isolate: false).
 */
import { afterAll } from 'vitest';
import { removeScratchFolders } from '../helpers/scratch.js';

afterAll(removeScratchFolders);
