// A failing Postgres without taking it down: the learner's role loses a right on a table for the
// length of a call, so its statements there fail at once with Postgres's own error (permission
// denied, SQLSTATE 42501), and get the right back afterwards, whatever happened meanwhile.
import type { Course } from './course.ts';

/** Runs `fn` while the learner's role may not `privilege` the `table` (e.g. 'SELECT', 'users'). */
export async function whileRefused<T>(
  course: Course,
  privilege: string,
  table: string,
  fn: () => Promise<T>,
): Promise<T> {
  const role = `"${course.databaseName.replace(/"/g, '""')}"`;
  await course.db.query(`REVOKE ${privilege} ON ${table} FROM ${role}`);
  try {
    return await fn();
  } finally {
    await course.db.query(`GRANT ${privilege} ON ${table} TO ${role}`);
  }
}

/** Matches Postgres's refusal, whether passed on as it is or wrapped with it as the cause. */
export const PERMISSION_DENIED = /permission denied/i;
