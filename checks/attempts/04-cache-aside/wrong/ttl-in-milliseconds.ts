// wrong: "store it in Redis as JSON with a TTL of 300 seconds" → must fail: sets a 300-second TTL in the same command as the value
// PX counts milliseconds: this note falls off after 0.3 s.
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const cached = await stores.cache.get(key);
  if (cached !== null) {
    try {
      return JSON.parse(cached) as User;
    } catch {
      // corrupt: a miss
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
        expiration: { type: 'PX', value: 300 },
      });
    } catch {
      // best effort
    }
  }
  return user;
}
