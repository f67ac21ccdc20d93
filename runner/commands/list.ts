// `npm run learn -- list`: every exercise with its status, and the progress bar.
import type { Course } from '../course.ts';
import { renderList } from '../display.ts';
import { readProgress } from '../progress.ts';
import { currentStatuses, firstUnfinished } from '../status.ts';
import { ALL_DONE } from '../messages.ts';

export const NEXT_UP = (id: string) => `Next up: ${id}. Start with: npm run learn`;

export async function list(course: Course): Promise<void> {
  const statuses = await currentStatuses(course);
  const { progress } = readProgress(course);
  const hints = new Map(Object.entries(progress.exercises).map(([id, e]) => [id, e.hints]));
  const next = firstUnfinished(course.exercises, statuses);
  console.log(renderList(course.exercises, statuses, hints, next?.id));
  console.log(next ? NEXT_UP(next.id) : ALL_DONE(course.exercises.length));
  for (const message of course.halfAdded) console.log(message);
}
