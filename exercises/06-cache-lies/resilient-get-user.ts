// Exercise 06 — When the cache lies or is gone.
// Task: README.md beside this file. Lesson:
// docs/lessons/06-cache-lies.md. Check: npm test 06
import type { Stores, User } from '../../lib/stores.ts';

// TODO: keep what concurrent callers share here, e.g. a Map from id
// to the in-flight read.

export async function getUserResilient(
  stores: Stores,
  id: number,
): Promise<User | null> {
  // TODO: give every Redis call a deadline (~100 ms); an error or a
  // timeout means "read Postgres" (the deadline ends your wait, not
  // the command: Redis may still run it). TODO: a hit on
  // `user:<id>` returns the user; an "absent" marker returns null
  // without SQL.
  // TODO: concurrent misses for one id share one Postgres query.
  // TODO: after reading Postgres, fill `user:<id>` without making
  // the caller wait for Redis (and catch its error): the user as
  // JSON with a jittered TTL around 300 s, or an "absent" marker
  // for at most 60 s.
  throw new Error(
    'TODO: getUserResilient is not written yet (exercise 06)',
  );
}
