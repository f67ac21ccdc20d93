// runChecks for the runner. Loaded on first use: the harness brings Vitest, which plain commands
// such as `hint` and `reset` never need. And Vitest sets process.exitCode when a check fails, but
// a failing check is the runner's everyday business, not a failure of the runner's own command.
import type { RunOptions } from '../checks/harness/run.ts';
import type { RunSummary } from '../checks/harness/reporter.ts';

export async function check(options: RunOptions): Promise<RunSummary> {
  const { runChecks } = await import('../checks/harness/run.ts');
  const exitCode = process.exitCode;
  try {
    return await runChecks(options);
  } finally {
    process.exitCode = exitCode;
  }
}
