// `npm run learn -- hint NN`: reveals the next hint of an exercise, mildest first, and repeats the
// ones already revealed. Once the exercise is done, every hint is shown.
import type { Exercise } from '../../manifest.ts';
import { bold } from '../../tooling/style.ts';
import { exerciseNamed, type Course } from '../course.ts';
import { renderHints } from '../display.ts';
import { entryOf, knownStatus, readProgress, updateProgress } from '../progress.ts';

export const NO_HINTS = (id: string) => `Exercise ${id} has no hints. Its task and lesson say everything it needs.`;
export const LAST_HINT = (id: string) =>
  `That was the last hint for ${id}. Read the lesson again, and once the checks pass, compare with the reference solution (npm run learn -- solution ${id}).`;
export const ALL_HINTS_DONE = (id: string, total: number) =>
  `${id} is done: all ${total} hints, to compare with your approach.`;

/** Reveals one more hint (or all of them once done) and returns the text to print. */
export function revealHint(course: Course, exercise: Exercise): string {
  const total = exercise.hints.length;
  if (total === 0) return NO_HINTS(exercise.id);
  const { progress } = readProgress(course);
  const title = bold(`${exercise.id} · ${exercise.title}`);
  if (knownStatus(course, progress, exercise) === 'done') {
    return `${title}\n${ALL_HINTS_DONE(exercise.id, total)}\n${renderHints(exercise, total)}`;
  }
  const before = Math.min(entryOf(progress, exercise).hints, total);
  const shown = Math.min(before + 1, total);
  if (shown !== before) {
    updateProgress(course, (p) => {
      p.exercises[exercise.id] = { ...entryOf(p, exercise), hints: shown };
    });
  }
  const text = `${title}\n${renderHints(exercise, shown, shown === before ? undefined : shown)}`;
  return shown === total ? `${text}\n${LAST_HINT(exercise.id)}` : text;
}

export function hint(course: Course, selector: string | undefined): void {
  const exercise = exerciseNamed(course, selector, 'hint');
  if (!exercise) return;
  console.log(revealHint(course, exercise));
}
