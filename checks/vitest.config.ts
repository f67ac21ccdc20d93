import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { CHECK_PROCESSES } from '../tooling/check-processes.ts';
import { SERVER_VARIABLES } from '../tooling/server-variables.mjs';

// The hidden checks. `npm test` runs them through scripts/test.mjs, and the guided runner,
// verify and the bench through tooling/check-run.ts: each picks the files and provides the
// run's settings (`course`: the code under check, how many files) through Vitest's provide.
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  plugins: [
    {
      // The module cache below serves the check processes. Modules Vitest loads into its own
      // process (the global setup, the reporter) stay out of it: in Vitest 4.1, an error thrown
      // from a cached one there is printed as "code.charCodeAt is not a function" instead.
      name: 'course:module-cache-for-check-processes-only',
      configureVitest({ experimental_defineCacheKeyGenerator }) {
        experimental_defineCacheKeyGenerator(({ environment }) =>
          environment.name === '__vitest__' ? false : undefined,
        );
      },
    },
  ],
  test: {
    include: ['checks/*.check.ts'],
    // The check processes run the learner's code: they get no server address or credential of
    // the machine's. Each check file puts its own sandbox's URLs there instead (Course.open).
    env: Object.fromEntries(SERVER_VARIABLES.map((name) => [name, undefined])),
    globalSetup: ['checks/harness/global-setup.ts'],
    setupFiles: ['checks/harness/watchdog.ts', 'checks/harness/early-open.ts'],
    // Forks, not threads: the watchdog ends a frozen check by ending its process.
    pool: 'forks',
    // Libraries' deprecation notices (pg's, when an error holding a client is printed) are not the learner's to fix.
    execArgv: ['--no-deprecation'],
    maxWorkers: CHECK_PROCESSES,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    teardownTimeout: 10_000,
    // Keeps the harness's compiled TypeScript on disk between runs (node_modules/.experimental-vitest-cache),
    // keyed by each file's content: a re-check compiles only what changed, usually your file.
    experimental: { fsModuleCache: true },
  },
});
