// wrong: "If Redis refuses the write, the user you read from Postgres is still the answer (and the refusal is caught, never left as an unhandled rejection)." → must fail: still returns the user when the cache write fails
// The SET is sent without await "so the answer is faster", and
// nothing catches it: a refused write is an unhandled rejection,
// which can crash the process.
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
    void stores.cache.set(key, JSON.stringify(user), {
      expiration: { type: 'EX', value: 300 },
    });
  }
  return user;
}
