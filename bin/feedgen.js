#!/usr/bin/env node
// Runs the compiled CLI (lib/ is built from src/ by `npm run build`, which `npm ci` runs via prepare).
import { main, processIO } from '../lib/cli/index.js';

process.exitCode = await main(process.argv.slice(2), processIO());
