// Statuses for the plain commands: from progress.json when it can be trusted, else settled by
// running the checks of the exercises in doubt (finding services just for that, then stopping them).
import { provideServices, ServicesError } from '../tooling/services.ts';
import { dim } from '../tooling/style.ts';
import type { Course } from './course.ts';
import { inDoubt, statuses, type Status } from './progress.ts';

export const CHECKING_DOUBTFUL = (ids: string[]) => `Checking ${ids.join(', ')} (changed since last checked)…`;
export const CANNOT_CHECK = (why: string) =>
  `Could not run the checks to settle what changed, so those are marked "changed since last checked".\n${why}`;

/** Every exercise's status; runs the checks of the ones in doubt. Notes go to stderr. */
export async function currentStatuses(course: Course): Promise<Map<string, Status>> {
  const doubtful = inDoubt(course);
  if (doubtful.length === 0) return statuses(course);
  console.error(dim(CHECKING_DOUBTFUL(doubtful.map((e) => e.id))));
  let services;
  try {
    services = await provideServices();
  } catch (error) {
    if (!(error instanceof ServicesError)) throw error;
    console.error(CANNOT_CHECK(error.message));
    return statuses(course);
  }
  const stop = () => {
    void services.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    return await statuses(course, services);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await services.stop();
  }
}

/** The first exercise not done, in course order. */
export function firstUnfinished<T extends { id: string }>(
  exercises: readonly T[],
  statuses: ReadonlyMap<string, Status>,
): T | undefined {
  return exercises.find((e) => statuses.get(e.id) !== 'done');
}
