// runChecks for the runner: Vitest sets process.exitCode when a check fails, but a failing check
// is the runner's everyday business, not a failure of the runner's own command.
import { runChecks, type RunOptions } from '../checks/harness/run.ts';
import type { RunSummary } from '../checks/harness/reporter.ts';

export async function check(options: RunOptions): Promise<RunSummary> {
  const exitCode = process.exitCode;
  try {
    return await runChecks(options);
  } finally {
    process.exitCode = exitCode;
  }
}
