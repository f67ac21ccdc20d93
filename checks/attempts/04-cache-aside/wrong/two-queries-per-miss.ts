// wrong: "a miss is one SQL query" → must fail: on a miss, reads Postgres once and fills user:<id> with the user as JSON
// Counts first, then selects: two queries where one does.
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
  const found = await stores.db.query(
    'SELECT 1 FROM users WHERE id = $1',
    [id],
  );
  if (found.rowCount === 0) return null;
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
