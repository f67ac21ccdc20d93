// Exercise 06 — When the cache lies or is gone. Reference solution.
import type { Stores, User } from '../../lib/stores.ts';

const CACHE_DEADLINE_MS = 100;
const USER_TTL_SECONDS = 300;
/** ±10 %: a user's key lives 270 to 330 s. */
const TTL_SPREAD_SECONDS = 60;
const ABSENT_TTL_SECONDS = 30;
/**
 * Stored under `user:<id>` for an id Postgres does not know; never
 * valid user JSON.
 */
const ABSENT = 'absent';

const inFlight = new Map<number, Promise<User | null>>();

export function getUserResilient(
  stores: Stores,
  id: number,
): Promise<User | null> {
  // Concurrent callers for one id share one read, so fifty misses
  // cost one SQL query.
  let pending = inFlight.get(id);
  if (!pending) {
    pending = readThrough(stores, id).finally(() =>
      inFlight.delete(id),
    );
    inFlight.set(id, pending);
  }
  return pending;
}

async function readThrough(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;

  // The cache is an optimization: slow, failing or gone, it is
  // simply skipped.
  const cached = await withDeadline(
    () => stores.cache.get(key),
    CACHE_DEADLINE_MS,
  );
  if (cached === ABSENT) return null;
  if (cached) {
    try {
      return JSON.parse(cached) as User;
    } catch {
      // A corrupt note is a miss; the fill below repairs it.
    }
  }

  const { rows } = await stores.db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  const user = rows[0] ?? null;

  // Not awaited: the caller has its answer, and a Redis that is
  // down must not delay it. Its failure is caught all the same.
  stores.cache
    .set(key, user ? JSON.stringify(user) : ABSENT, {
      expiration: {
        type: 'EX',
        value: user ? jitteredTtl() : ABSENT_TTL_SECONDS,
      },
    })
    .catch(() => undefined);
  return user;
}

/**
 * 300 s ± 10 %, so keys filled in the same minute do not all expire
 * in the same minute.
 */
function jitteredTtl(): number {
  return Math.round(
    USER_TTL_SECONDS -
      TTL_SPREAD_SECONDS / 2 +
      Math.random() * TTL_SPREAD_SECONDS,
  );
}

/**
 * The value of `run()`, or `undefined` if it fails or takes longer
 * than `ms`. Never rejects.
 */
function withDeadline<T>(
  run: () => Promise<T>,
  ms: number,
): Promise<T | undefined> {
  const late = new Promise<undefined>((resolve) => {
    // setImmediate runs after pending I/O: a reply that already
    // arrived while this process was busy still wins, so a loaded
    // event loop is not mistaken for a slow Redis.
    setTimeout(() => setImmediate(resolve, undefined), ms).unref();
  });
  return Promise.race([
    Promise.resolve()
      .then(run)
      .catch(() => undefined),
    late,
  ]);
}
