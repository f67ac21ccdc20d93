// What a run of the checks found, as every part reads it: the hidden checks' reporter writes
// it, the guided runner, verify and the bench read it.
import type { Exercise } from '../manifest.ts';
import { exercises, folderOf } from '../manifest.ts';
import { bold, green, red } from './style.ts';

export interface CheckResult {
  name: string;
  passed: boolean;
  message?: string;
}

export interface ExerciseResult {
  exercise: Exercise;
  checks: CheckResult[];
  passed: number;
  failed: number;
  /** Set when the file could not run to its end (import failed, process frozen or crashed). */
  fileError?: string;
}

export interface RunSummary {
  results: ExerciseResult[];
  passed: number;
  failed: number;
  ms: number;
  /** Errors outside any check (a crash, a client left to fail after the checks): each fails the run. */
  outside: number;
}

/** The last line of `npm test`: one exercise's verdict and what comes next, or the totals. */
export function verdict(summary: RunSummary): string {
  if (summary.results.length !== 1) return `${summary.passed} passed, ${summary.failed + summary.outside} failed`;
  const { exercise, passed, failed, checks, fileError } = summary.results[0]!;
  const name = bold(`${exercise.id} ${exercise.slug}`);
  if (fileError) {
    return checks.length === 0
      ? `${red('✗')} ${name}: the checks could not start (see above).`
      : `${red('✗')} ${name}: the checks could not finish (${passed} of ${checks.length} checks passed before they stopped).`;
  }
  if (failed > 0) return `${red('✗')} ${name}: ${passed} of ${passed + failed} checks pass.`;
  if (summary.outside > 0)
    return `${red('✗')} ${name}: all ${passed} checks pass, but errors came after them (see above).`;
  const next = exercises[exercises.findIndex((e) => e.id === exercise.id) + 1];
  return (
    `${green('✓')} ${name}: all ${passed} checks pass.` +
    (next ? ` Next: npm test ${next.id} (exercises/${folderOf(next)}/${next.file}).` : ' That was the last exercise.')
  );
}
