// wrong: "Read all the misses from Postgres with one SQL query" → must fail: reads only the misses from Postgres, in one query with the ids as a parameter
// One query per miss, all started at once: the pool runs them side
// by side, but it is still a query per user.
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  if (ids.length === 0) return [];
  const notes = await stores.cache.mGet(
    ids.map((id) => `user:${id}`),
  );
  const found = new Map<number, User>();
  const missing = new Set<number>();
  ids.forEach((id, i) => {
    const note = notes[i];
    if (note != null) {
      try {
        found.set(id, JSON.parse(note) as User);
        return;
      } catch {
        // corrupt: a miss
      }
    }
    missing.add(id);
  });
  const rows = await Promise.all(
    [...missing].map(async (id) => {
      const { rows } = await stores.db.query<User>(
        'SELECT id, name, email FROM users WHERE id = $1',
        [id],
      );
      return rows[0];
    }),
  );
  const users = rows.filter((u): u is User => u !== undefined);
  await Promise.all(
    users.map((u) => {
      found.set(u.id, u);
      return stores.cache.set(`user:${u.id}`, JSON.stringify(u), {
        expiration: { type: 'EX', value: 300 },
      });
    }),
  );
  return ids.map((id) => found.get(id) ?? null);
}
