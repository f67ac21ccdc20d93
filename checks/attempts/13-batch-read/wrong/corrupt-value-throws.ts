// wrong: "a value that is not valid JSON, is a miss" → must fail: treats a corrupt cached value as a miss and repairs it
// JSON.parse without a try: one bad note fails the whole page.
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
    if (note != null) found.set(id, JSON.parse(note) as User);
    else missing.add(id);
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
