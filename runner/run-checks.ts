// runChecks for the runner, loaded on first use: the harness brings Vitest, which plain commands
// such as `hint` and `reset` never need.
import type { RunOptions } from '../tooling/check-run.ts';
import type { RunSummary } from '../tooling/results.ts';

export async function check(options: RunOptions): Promise<RunSummary> {
  const { runChecks } = await import('../tooling/check-run.ts');
  return runChecks(options);
}
