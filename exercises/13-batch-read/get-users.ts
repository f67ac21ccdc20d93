// Exercise 13 — Read a hundred users in one trip.
// Task: README.md beside this file. Lesson:
// docs/lessons/09-round-trips.md. Check: npm test 13
import type { Stores, User } from '../../lib/stores.ts';

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  // TODO: an empty list is [] (no round trip). Otherwise read every
  // `user:<id>` with ONE MGET; a value that is valid JSON is a hit.
  // TODO: read all the misses from stores.db with ONE parameterized
  // query (`WHERE id = ANY($1)`), and send their fills together,
  // each a SET with a 300-second TTL in the same command.
  // TODO: answer in the order of `ids`, duplicates included, null
  // for an id Postgres does not know.
  throw new Error(
    'TODO: getUsers is not written yet (exercise 13)',
  );
}
