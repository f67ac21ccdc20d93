// Exercise 04 — Cache-aside: read through Redis. Reference
// solution.
import type { Stores, User } from '../../lib/stores.ts';

const USER_TTL_SECONDS = 300;

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;

  // 1. Try the sticky note. A rejected GET is a real Redis error
  // and propagates; `null` only means the key is missing: a miss.
  const cached = await stores.cache.get(key);
  if (cached !== null) {
    try {
      return JSON.parse(cached) as User; // HIT
    } catch {
      // A corrupt value is treated as a miss; the SET below repairs
      // it.
    }
  }

  // 2. MISS: read the filing cabinet, the source of truth.
  const { rows } = await stores.db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  const user = rows[0] ?? null;

  // 3. Fill the cache, value and TTL in one command, so the key can
  // never live without an expiry. The write is best-effort: the
  // user is the answer even if Redis refuses it.
  if (user) {
    try {
      await stores.cache.set(key, JSON.stringify(user), {
        expiration: { type: 'EX', value: USER_TTL_SECONDS },
      });
    } catch {
      // The next read simply misses again.
    }
  }
  return user;
}
