import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// The kill trials take the longest by far: started first, the other files share the second
// worker meanwhile instead of waiting for them at the end.
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (spec: TestSpecification) => (spec.moduleId.endsWith('kill-trials.test.ts') ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}

// Tests of the pure modules and of the command-line tools. The runner and harness-safety tests
// drive real commands against Postgres and Redis (DATABASE_URL / REDIS_URL, else 127.0.0.1).
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    testTimeout: 30_000,
    // Two files at a time: most of their time is spent waiting on processes and servers, and
    // each makes its own runs (their own databases, Redis databases and users), never shared.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
  },
});
