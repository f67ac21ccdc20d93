// wrong: "A missing key is a miss, but a real Redis error (the GET itself fails) is not: let it reject." → must fail: rejects when Redis answers with a real error instead of treating it as a miss
// One try/catch around the GET turns a broken Redis into a miss.
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  let cached: string | null;
  try {
    cached = await stores.cache.get(key);
  } catch {
    cached = null; // Redis trouble: just read Postgres
  }
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
        expiration: { type: 'EX', value: 300 },
      });
    } catch {
      // best effort
    }
  }
  return user;
}
