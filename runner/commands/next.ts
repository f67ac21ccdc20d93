// `npm run learn -- next`: the first exercise not done yet: its file and its task.
import { bold, dim } from '../../tooling/style.ts';
import type { Exercise } from '../../manifest.ts';
import { learnerFile, shown, taskPath, taskText, type Course } from '../course.ts';
import { countDone, progressBar } from '../display.ts';
import { currentStatuses, firstUnfinished } from '../status.ts';
import { ALL_DONE } from '../messages.ts';

export const HOW_TO_WORK = (id: string) =>
  `Edit the file, then run npm run learn: it checks your file on every save. (Or once: npm test ${id}. A hint: npm run learn -- hint ${id}.)`;

/** Title, file to edit and the task text of an exercise. */
export function describeExercise(course: Course, exercise: Exercise): string {
  const task = taskText(course, exercise);
  return [
    bold(`${exercise.id} · ${exercise.title}`),
    `Edit: ${shown(course, learnerFile(course, exercise))}`,
    task ? `\n${task.trimEnd()}\n` : dim(`(task: ${taskPath(course, exercise)})`),
  ].join('\n');
}

export async function next(course: Course): Promise<void> {
  const statuses = await currentStatuses(course);
  const exercise = firstUnfinished(course.exercises, statuses);
  console.log(`Progress ${progressBar(countDone(statuses), course.exercises.length)}\n`);
  if (!exercise) {
    console.log(ALL_DONE(course.exercises.length));
    return;
  }
  console.log(describeExercise(course, exercise));
  console.log(HOW_TO_WORK(exercise.id));
}
