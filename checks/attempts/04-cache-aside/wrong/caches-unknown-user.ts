// wrong: "A user that does not exist is `null` (and nothing is cached for it)." → must fail: returns null for an unknown user and caches nothing for it
// Caches JSON `null` for an unknown id.
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const cached = await stores.cache.get(key);
  if (cached !== null) {
    try {
      const parsed = JSON.parse(cached) as User | null;
      if (parsed) return parsed;
    } catch {
      // corrupt: a miss
    }
  }
  const { rows } = await stores.db.query<User>(
    'SELECT id, name, email FROM users WHERE id = $1',
    [id],
  );
  const user = rows[0] ?? null;
  try {
    await stores.cache.set(key, JSON.stringify(user), {
      expiration: { type: 'EX', value: 300 },
    });
  } catch {
    // best effort
  }
  return user;
}
