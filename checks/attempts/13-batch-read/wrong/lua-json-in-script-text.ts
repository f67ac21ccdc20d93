// wrong: "Values come back unchanged from both stores: names with … quotes" → must fail: keeps names intact through both stores (accents, quotes, backslashes, emoji)
// The fills as one Lua script, the JSON written into the script's
// text between single quotes: a name with an apostrophe breaks it.
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
    if (rows.length > 0) {
      const script = rows
        .map(
          (u) =>
            `redis.call('SET', 'user:${u.id}', '${JSON.stringify(u)}', 'EX', 300)`,
        )
        .join('\n');
      try {
        await stores.cache.eval(script);
      } catch {
        // the fill is best effort
      }
    }
  }
  return ids.map((id) => found.get(id) ?? null);
}
