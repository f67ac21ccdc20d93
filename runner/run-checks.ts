// runChecks for the runner, loaded on first use: the harness brings Vitest, which plain commands
// such as `hint` and `reset` never need.
import type { RunOptions } from '../checks/harness/run.ts';
import type { RunSummary } from '../checks/harness/reporter.ts';

export async function check(options: RunOptions): Promise<RunSummary> {
  const { runChecks } = await import('../checks/harness/run.ts');
  return runChecks(options);
}
