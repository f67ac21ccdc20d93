// wrong: "A client you check out of the pool (`stores.db.connect()`) goes back to it (`release()`, in a `finally`): misses must never run the pool dry." → must fail: gives every Postgres client it takes back to the pool
// Checks a client out of the pool and never gives it back: after
// ten misses the pool is empty and the next miss waits forever.
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
  const client = await stores.db.connect();
  const { rows } = await client.query<User>(
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
