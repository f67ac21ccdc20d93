// wrong: "A hit is one Redis command and no SQL query" → must fail: serves a hit from Redis with one command and no SQL query
// Asks EXISTS first, then GET: two round trips on every hit.
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  if ((await stores.cache.exists(key)) === 1) {
    const cached = await stores.cache.get(key);
    if (cached !== null) {
      try {
        return JSON.parse(cached) as User;
      } catch {
        // corrupt: a miss
      }
    }
  }
  const { rows } = await stores.db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  const user = rows[0] ?? null;
  if (user) {
    try {
      await stores.cache.set(key, JSON.stringify(user), {
        expiration: { type: 'EX', value: 300 },
      });
    } catch {
      // best effort
    }
  }
  return user;
}
