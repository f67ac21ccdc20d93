import { defineConfig } from 'vitest/config';

// Tests of the pure modules and of the command-line tools. The runner and harness-safety tests
// drive real commands against Postgres and Redis (DATABASE_URL / REDIS_URL, else 127.0.0.1).
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
