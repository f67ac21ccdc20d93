// Exercise 04 — Cache-aside: read through Redis.
// Task: README.md beside this file. Lesson:
// docs/lessons/04-cache-aside.md. Check: npm test 04
import type { Stores, User } from '../../lib/stores.ts';

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  // TODO: GET `user:<id>` from stores.cache; on a hit, return the
  // parsed user (a corrupt value is a miss). TODO: on a miss, read
  // the user from stores.db (parameterized SQL), then SET the JSON
  // with a 300-second TTL in the same command (best-effort: a
  // failed write still returns the user).
  throw new Error('TODO: getUser is not written yet (exercise 04)');
}
