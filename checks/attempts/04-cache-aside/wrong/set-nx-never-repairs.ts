// wrong: "A cached value that is not valid JSON is a miss: read Postgres and overwrite it." → must fail: treats a corrupt cached value as a miss and repairs it
// SET ... NX "so it never clobbers anything": a corrupt value is
// never overwritten, and every read of it pays a miss.
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
        condition: 'NX',
        expiration: { type: 'EX', value: 300 },
      });
    } catch {
      // best effort
    }
  }
  return user;
}
