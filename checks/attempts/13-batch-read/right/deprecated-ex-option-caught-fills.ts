// right: set with the older { EX: 300 } option, the fills sent together and their refusal caught (the users answered anyway)
import type { Stores, User } from '../../../../lib/stores.ts';

type Row = { id: number; name: string; email: string };

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  if (ids.length < 1) return [];
  const keys = ids.map((id) => `user:${id}`);
  const cached = await stores.cache.mGet(keys);

  const byId: Record<number, User> = {};
  const misses = new Set<number>();
  cached.forEach((text, i) => {
    const id = ids[i]!;
    if (text === null) {
      misses.add(id);
      return;
    }
    try {
      byId[id] = JSON.parse(text) as User;
    } catch {
      misses.add(id);
    }
  });

  if (misses.size) {
    const { rows } = await stores.db.query<Row>(
      'SELECT id, name, email FROM users WHERE id = ANY($1) ORDER BY id DESC',
      [[...misses]],
    );
    for (const row of rows) byId[row.id] = row;
    try {
      await Promise.all(
        rows.map((row) =>
          stores.cache.set(`user:${row.id}`, JSON.stringify(row), {
            EX: 300,
          }),
        ),
      );
    } catch {
      // A note that did not go up only costs the next read a miss.
    }
  }
  return ids.map((id) => byId[id] ?? null);
}
