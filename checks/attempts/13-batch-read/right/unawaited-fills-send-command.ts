// right: raw commands (MGET, SET … PX) and an IN list of parameters, the fills sent in a loop without awaiting them
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  if (ids.length === 0) return [];
  const notes = (await stores.cache.sendCommand([
    'MGET',
    ...ids.map((id) => `user:${id}`),
  ])) as (string | null)[];

  const cached: (User | null)[] = notes.map((note) => {
    if (note === null) return null;
    try {
      return JSON.parse(note) as User;
    } catch {
      return null;
    }
  });
  const wanted = [
    ...new Set(ids.filter((_id, i) => cached[i] === null)),
  ];
  if (wanted.length === 0) return cached;

  const placeholders = wanted
    .map((_id, i) => `$${i + 1}`)
    .join(', ');
  const { rows } = await stores.db.query<User>(
    `SELECT id, name, email FROM users WHERE id IN (${placeholders})`,
    wanted,
  );
  const fresh = new Map(rows.map((u) => [u.id, u]));
  for (const user of rows) {
    // Not awaited: every SET leaves with the next write, together.
    stores.cache
      .sendCommand([
        'SET',
        `user:${user.id}`,
        JSON.stringify(user),
        'PX',
        '300000',
      ])
      .catch(() => {
        // the next read misses again
      });
  }
  return ids.map((id, i) => cached[i] ?? fresh.get(id) ?? null);
}
