// wrong: "If Redis refuses the write, the user you read from Postgres is still the answer." → must fail: still returns the user when the cache write fails
// The SET is awaited bare: a refused write rejects the whole read.
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
    await stores.cache.set(key, JSON.stringify(user), {
      expiration: { type: 'EX', value: 300 },
    });
  }
  return user;
}
