// wrong: "Miss — the key is missing (`null`): read the user from Postgres" → must fail: on a miss, reads Postgres once and fills user:<id> with the user as JSON
// JSON.parse(null) does not throw: it returns null, so every miss
// looks like a cached "no such user" and Postgres is never asked.
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const cached = await stores.cache.get(key);
  try {
    return JSON.parse(cached as string) as User | null;
  } catch {
    // not JSON: fall through to Postgres
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
