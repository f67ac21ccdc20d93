// wrong: "An unknown id is null … and nothing is cached for it" → must fail: answers null for an unknown id and caches nothing for it
// Every miss gets a note, the unknown ones "null": the next read
// finds it, parses it, and answers null without asking Postgres.
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  if (ids.length === 0) return [];
  const notes = await stores.cache.mGet(
    ids.map((id) => `user:${id}`),
  );
  const found = new Map<number, User | null>();
  const missing = new Set<number>();
  ids.forEach((id, i) => {
    const note = notes[i];
    if (note != null) {
      try {
        found.set(id, JSON.parse(note) as User | null);
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
    const byId = new Map(rows.map((u) => [u.id, u]));
    await Promise.all(
      [...missing].map((id) => {
        const user = byId.get(id) ?? null;
        found.set(id, user);
        return stores.cache.set(
          `user:${id}`,
          JSON.stringify(user),
          {
            expiration: { type: 'EX', value: 300 },
          },
        );
      }),
    );
  }
  return ids.map((id) => found.get(id) ?? null);
}
