import { defineConfig } from 'vitest/config';

// Browser tests: the built site in Debian's Chromium (see tests/browser/support.ts).
export default defineConfig({
  test: {
    include: ['tests/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
