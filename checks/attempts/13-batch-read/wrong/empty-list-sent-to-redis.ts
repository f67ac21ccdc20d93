// wrong: "An empty list is [], without a command to Redis or a query to Postgres" → must fail: answers an empty list with [] and no round trip to either store
// No special case: MGET with no key at all is an error in Redis.
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
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
  if (missing.size > 0) {
    const { rows } = await stores.db.query<User>(
      'SELECT id, name, email FROM users WHERE id = ANY($1)',
      [[...missing]],
    );
    await Promise.all(
      rows.map((u) => {
        found.set(u.id, u);
        return stores.cache.set(`user:${u.id}`, JSON.stringify(u), {
          expiration: { type: 'EX', value: 300 },
        });
      }),
    );
  }
  return ids.map((id) => found.get(id) ?? null);
}
