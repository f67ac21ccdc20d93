// Exercise 05 — Invalidate on write.
// Task: README.md beside this file. Lesson:
// docs/lessons/05-invalidation.md. Check: npm test 05
import type { Stores, User } from '../../lib/stores.ts';

export interface UserChanges {
  name?: string;
  email?: string;
}

export async function updateUser(
  stores: Stores,
  id: number,
  changes: UserChanges,
): Promise<User | null> {
  // TODO: UPDATE the user in Postgres first (only the fields
  // given), returning the new row; null if there is none. TODO:
  // only after the update has committed, DEL the key `user:<id>`
  // (and nothing else), and await it before returning.
  throw new Error(
    'TODO: updateUser is not written yet (exercise 05)',
  );
}
