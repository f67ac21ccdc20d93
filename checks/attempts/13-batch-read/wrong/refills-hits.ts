// wrong: "A hit is left as it is (no new SET, its TTL untouched)" → must fail: fills each missed user once, with a 300-second TTL in the same command, and leaves hits alone
// Every user of the answer is written back, hits included: the
// hits' TTLs start again, so a note read often never expires.
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
    for (const u of rows) found.set(u.id, u);
  }
  await Promise.all(
    [...found.values()].map((u) =>
      stores.cache.set(`user:${u.id}`, JSON.stringify(u), {
        expiration: { type: 'EX', value: 300 },
      }),
    ),
  );
  return ids.map((id) => found.get(id) ?? null);
}
