// Exercise 06 — When the cache lies or is gone. Reference solution.
import type { Stores, User } from '../../lib/stores.ts';

const CACHE_DEADLINE_MS = 100;
const USER_TTL_SECONDS = 300;
const TTL_JITTER = 0.1;
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
  if (typeof cached === 'string') {
    const user = parseUser(cached);
    if (user) return user;
  }

  const { rows } = await stores.db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  const user = rows[0] ?? null;

  // Not awaited: the caller has its answer, and a Redis that is
  // down must not delay it.
  void withDeadline(
    () =>
      user
        ? stores.cache.set(key, JSON.stringify(user), {
            expiration: {
              type: 'EX',
              value: jittered(USER_TTL_SECONDS),
            },
          })
        : stores.cache.set(key, ABSENT, {
            expiration: { type: 'EX', value: ABSENT_TTL_SECONDS },
          }),
    1000,
  );
  return user;
}

/**
 * 300 s ± 10 %, so keys filled in the same minute do not all expire
 * in the same minute.
 */
function jittered(seconds: number): number {
  return Math.round(
    seconds * (1 - TTL_JITTER + Math.random() * 2 * TTL_JITTER),
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
  return new Promise((resolve) => {
    // setImmediate runs after pending I/O: a reply that already
    // arrived while this process was busy still wins, so a loaded
    // event loop is not mistaken for a slow Redis.
    const timer = setTimeout(
      () => setImmediate(() => resolve(undefined)),
      ms,
    );
    Promise.resolve()
      .then(run)
      .then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        () => {
          clearTimeout(timer);
          resolve(undefined);
        },
      );
  });
}

function parseUser(text: string): User | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return null;
    const { id, name, email } = value as Record<string, unknown>;
    if (
      typeof id === 'number' &&
      typeof name === 'string' &&
      typeof email === 'string'
    )
      return { id, name, email };
    return null;
  } catch {
    return null;
  }
}
