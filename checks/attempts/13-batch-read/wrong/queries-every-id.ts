// wrong: "Hits … Postgres is not asked about it" → must fail: reads only the misses from Postgres, in one query with the ids as a parameter
// One query, but for every id on any miss, "to keep it simple":
// the hits are read from the cabinet as well.
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
  let anyMiss = false;
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
    anyMiss = true;
  });
  if (anyMiss) {
    const { rows } = await stores.db.query<User>(
      'SELECT id, name, email FROM users WHERE id = ANY($1)',
      [[...ids]],
    );
    const fills = rows.filter((u) => !found.has(u.id));
    await Promise.all(
      fills.map((u) => {
        found.set(u.id, u);
        return stores.cache.set(`user:${u.id}`, JSON.stringify(u), {
          expiration: { type: 'EX', value: 300 },
        });
      }),
    );
  }
  return ids.map((id) => found.get(id) ?? null);
}
