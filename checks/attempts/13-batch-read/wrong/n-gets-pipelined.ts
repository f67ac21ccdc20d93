// wrong: "One MGET for the keys of all the ids" → must fail: serves hits with one MGET and no SQL when every id is cached
// One GET per id, all sent at once: pipelined, so a single round
// trip, but a hundred commands for Redis to parse and answer.
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  if (ids.length === 0) return [];
  const notes = await Promise.all(
    ids.map((id) => stores.cache.get(`user:${id}`)),
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
