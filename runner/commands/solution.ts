// `npm run learn -- solution NN`: once an exercise passes, the reference solution beside the
// learner's code.
import { existsSync, readFileSync } from 'node:fs';
import type { Exercise } from '../../manifest.ts';
import { exerciseNamed, learnerFile, shown, solutionFile, type Course } from '../course.ts';
import { sideBySide } from '../display.ts';
import type { Status } from '../progress.ts';
import { currentStatuses } from '../status.ts';

export const SOLUTION_LOCKED = (id: string) =>
  `The reference solution of ${id} opens once your checks pass: it is more useful to compare with than to copy. ` +
  `Stuck? npm run learn -- hint ${id}`;
export const NO_SOLUTION = (file: string) => `The reference solution ${file} is missing from this copy of the course.`;

/** The two files side by side, or why not. */
export function renderSolution(
  course: Course,
  exercise: Exercise,
  status: Status,
  columns: number,
): { ok: boolean; text: string } {
  if (status !== 'done') return { ok: false, text: SOLUTION_LOCKED(exercise.id) };
  const reference = solutionFile(course, exercise);
  if (!existsSync(reference)) return { ok: false, text: NO_SOLUTION(shown(course, reference)) };
  const mine = learnerFile(course, exercise);
  return {
    ok: true,
    text: sideBySide(
      { title: `Yours: ${shown(course, mine)}`, text: readFileSync(mine, 'utf8') },
      { title: `Reference: ${shown(course, reference)}`, text: readFileSync(reference, 'utf8') },
      columns,
    ),
  };
}

export async function solution(course: Course, selector: string | undefined): Promise<void> {
  const exercise = exerciseNamed(course, selector, 'solution');
  if (!exercise) return;
  const statuses = await currentStatuses(course);
  const { ok, text } = renderSolution(
    course,
    exercise,
    statuses.get(exercise.id) ?? 'unchecked',
    process.stdout.columns ?? 160,
  );
  if (ok) console.log(text);
  else {
    console.error(text);
    process.exitCode = 1;
  }
}
