import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/** Removes the scratch folders of each test file when it is over. */
const EACH_FILE = 'tests/setup/each-file.ts';

/**
 * The time suite runs once per host time zone: results must never depend on it. `env.TZ` reaches
 * the test workers' process.env before any test code runs, and Node re-reads TZ when it is
 * assigned; tests/time/host-tz.test.ts proves the zone really applies in each project.
 */
const HOST_ZONES = { UTC: 'UTC', New_York: 'America/New_York', Kolkata: 'Asia/Kolkata' };
const timeProjects: TestProjectInlineConfiguration[] = Object.entries(HOST_ZONES).map(([label, zone]) => ({
  test: {
    name: `time-${label}`,
    include: ['tests/time/**/*.test.ts'],
    environment: 'node',
    setupFiles: [EACH_FILE],
    isolate: false,
    env: { TZ: zone, FEEDGEN_EXPECTED_TZ: zone },
    testTimeout: 60_000,
  },
}));

export default defineConfig({
  test: {
    // The run's own TMPDIR, which must be empty when the run is over (see the file).
    globalSetup: ['tests/setup/temporary-folder.ts'],
    // Two test files at a time. Vitest's default is one fewer than the cores: a single file on a
    // 2-core machine, which then waits, one core idle, on every feedgen, wrangler, workerd, npm
    // or browser process a test starts.
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'node',
          include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: ['tests/worker/**', 'tests/time/**'],
          environment: 'node',
          setupFiles: [EACH_FILE],
          // A test process imports the modules once for all the files it runs, not once per file
          // (importing was a fifth of the run). Nothing here mocks modules or keeps global state.
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      ...timeProjects,
      {
        // Inside workerd: the Worker as wrangler.toml builds it (npm test writes its data module first).
        plugins: [cloudflareTest({ wrangler: { configPath: './wrangler.toml' } })],
        test: {
          name: 'worker',
          include: ['tests/worker/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
