// wrong: "A hit leaves the TTL alone: it runs from the fill, so a note is never older than 300 seconds." → must fail: serves a hit from Redis with one command and no SQL query
// GETEX with EX on every lookup slides the TTL: a note read often never expires, so a stale one can live for ever.
import type { Stores, User } from '../../../../lib/stores.ts';
export async function getUser(
  stores: Stores,
  id: number,
): Promise<User | null> {
  const key = `user:${id}`;
  const cached = await stores.cache.getEx(key, {
    type: 'EX',
    value: 300,
  });
  if (cached !== null) {
    try {
      return JSON.parse(cached) as User;
    } catch {
      /* a corrupt note is a miss */
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
      /* best effort */
    }
  }
  return user;
}
