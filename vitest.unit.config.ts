import { defineConfig } from 'vitest/config';

// Fast tests of pure modules and of the command-line tools (no Postgres or Redis needed).
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
