// wrong: "No miss, no query" → must fail: serves hits with one MGET and no SQL when every id is cached
// The query runs every time, with an empty array when everything
// was a hit: a round trip to the cabinet that finds nothing.
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
  const missing: number[] = [];
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
    missing.push(id);
  });
  const { rows } = await stores.db.query<User>(
    'SELECT id, name, email FROM users WHERE id = ANY($1)',
    [missing],
  );
  await Promise.all(
    rows.map((u) => {
      found.set(u.id, u);
      return stores.cache.set(`user:${u.id}`, JSON.stringify(u), {
        expiration: { type: 'EX', value: 300 },
      });
    }),
  );
  return ids.map((id) => found.get(id) ?? null);
}
