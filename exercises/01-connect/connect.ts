// Exercise 01 — Connect to both stores.
// Task: README.md beside this file. Lesson:
// docs/lessons/02-drivers-and-pools.md. Check: npm test 01
import type { Stores } from '../../lib/stores.ts';

export async function connect(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Stores> {
  // TODO: read DATABASE_URL and REDIS_URL from `env`; if one is
  // missing or empty, reject naming it, before opening anything.
  // TODO: make one pg.Pool and one Redis client (createClient)
  // with an 'error' listener, and bound every wait.
  // TODO: prove both answer; if one does not, close what you
  // opened and reject.
  // TODO: return { db, cache, close } where close() ends both.
  throw new Error('TODO: connect is not written yet (exercise 01)');
}
