// wrong: "A corrupt value is repaired: its key is overwritten by the fill" → must fail: treats a corrupt cached value as a miss and repairs it
// SET … NX "so as not to overwrite a fresher note": the corrupt note
// is never replaced, and every read pays for it again.
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
          condition: 'NX',
        });
      }),
    );
  }
  return ids.map((id) => found.get(id) ?? null);
}
