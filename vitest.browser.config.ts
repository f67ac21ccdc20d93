import { defineConfig } from 'vitest/config';

// Browser tests: the built site in Debian's Chromium (see tests/browser/support.ts).
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two files at a time: each serves the built site on a port of its own to a Chromium of its own.
    maxWorkers: 2,
  },
});
