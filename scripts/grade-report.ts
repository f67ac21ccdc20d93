// What `npm run grade` writes to results.json (its schema: tooling/grade-schema.json), built from
// a run of the checks. Points are all-or-nothing per exercise, as GitHub Classroom's command
// grader gives them (the exit code of `npm test NN` earns the step's max-score or nothing), so a
// grade here and the Classroom workflow's points always agree.
import { stripVTControlCharacters } from 'node:util';
import { folderOf, lessonPath, type Exercise } from '../manifest.ts';
import type { ExerciseResult, RunSummary } from '../tooling/results.ts';

/** Bumped when a field changes meaning or goes away (a new optional field keeps it). */
export const REPORT_VERSION = 1;

/** What an exercise is worth when the manifest gives no `points`. */
export const DEFAULT_POINTS = 10;

export function pointsOf(exercise: Exercise): number {
  return exercise.points ?? DEFAULT_POINTS;
}

export type ExerciseStatus = 'pass' | 'fail' | 'error';

export interface GradedCheck {
  name: string;
  status: 'pass' | 'fail';
  /** What the terminal shows under a failed check: expected, observed, where to read. */
  message?: string;
}

export interface GradedExercise {
  id: string;
  slug: string;
  title: string;
  /** The learner's file, as the checks named it: `exercises/04-cache-aside/get-user.ts`. */
  file: string;
  status: ExerciseStatus;
  points: { earned: number; possible: number };
  /** Set when status is "error": why the checks could not run to their end. */
  error?: string;
  /** The lesson to read when it does not pass. */
  read?: string;
  checks: GradedCheck[];
}

export interface GradeReport {
  version: typeof REPORT_VERSION;
  scoring: 'all-or-nothing';
  /** The folder graded: "exercises", or the COURSE_TARGET given. */
  target: string;
  /** When the grading ended (ISO 8601). */
  gradedAt: string;
  total: { earned: number; possible: number; passed: number; exercises: number };
  exercises: GradedExercise[];
}

/** A message without the terminal's colours (the text is the same). */
function plain(text: string): string {
  return stripVTControlCharacters(text);
}

/** Why an exercise the run never reported is an error rather than a fail. */
export const DID_NOT_RUN = 'its checks did not run (the run ended before reaching them; see the output above)';

/** Errors after its checks, seen when the exercise was run alone, fail it as `npm test NN` does. */
export const ERRORS_AFTER = {
  name: 'no errors after the checks',
  message:
    "Expected: nothing of your code to fail once the checks are done.\nObserved: every check passed, but errors came after them: a client your code made and left open, or without an 'error' listener, failed once the checks were over. npm test on this exercise shows them.",
} as const;

export function gradeExercise(
  exercise: Exercise,
  result: ExerciseResult | undefined,
  target: string,
  errorsAfter = false,
): GradedExercise {
  const possible = pointsOf(exercise);
  const checks: GradedCheck[] = (result?.checks ?? []).map((c) => ({
    name: c.name,
    status: c.passed ? 'pass' : 'fail',
    ...(!c.passed && c.message ? { message: plain(c.message) } : {}),
  }));
  if (errorsAfter) checks.push({ name: ERRORS_AFTER.name, status: 'fail', message: ERRORS_AFTER.message });
  const error = !result ? DID_NOT_RUN : result.fileError ? plain(result.fileError) : undefined;
  const passed = !error && checks.length > 0 && checks.every((c) => c.status === 'pass');
  const status: ExerciseStatus = error ? 'error' : passed ? 'pass' : 'fail';
  return {
    id: exercise.id,
    slug: exercise.slug,
    title: exercise.title,
    file: `${target}/${folderOf(exercise)}/${exercise.file}`,
    status,
    points: { earned: passed ? possible : 0, possible },
    ...(error ? { error } : {}),
    ...(passed ? {} : { read: `docs${lessonPath(exercise.lesson)}.md` }),
    checks,
  };
}

/**
 * The report of one run. `errorsAfter` names the exercises whose own run (alone, as `npm test NN`)
 * had errors outside any check: the shared run counts those without saying whose they are.
 */
export function buildReport(
  graded: readonly Exercise[],
  summary: RunSummary,
  target: string,
  errorsAfter: ReadonlySet<string> = new Set(),
  now = new Date(),
): GradeReport {
  const exercises = graded.map((exercise) =>
    gradeExercise(
      exercise,
      summary.results.find((r) => r.exercise.id === exercise.id),
      target,
      errorsAfter.has(exercise.id),
    ),
  );
  return {
    version: REPORT_VERSION,
    scoring: 'all-or-nothing',
    target,
    gradedAt: now.toISOString(),
    total: {
      earned: exercises.reduce((sum, e) => sum + e.points.earned, 0),
      possible: exercises.reduce((sum, e) => sum + e.points.possible, 0),
      passed: exercises.filter((e) => e.status === 'pass').length,
      exercises: exercises.length,
    },
    exercises,
  };
}
