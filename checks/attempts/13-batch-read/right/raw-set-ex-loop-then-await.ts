// right: the fills as raw SET … EX commands issued in a loop and awaited together after it, ids as bigint[], a Map merge
import type { Stores, User } from '../../../../lib/stores.ts';

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  if (ids.length === 0) return [];
  const distinct = Array.from(new Set(ids));
  const notes = await stores.cache.mGet(
    distinct.map((id) => 'user:' + id),
  );

  const users = new Map<number, User>();
  const wanted: string[] = [];
  for (let i = 0; i < distinct.length; i += 1) {
    const note = notes[i];
    let user: User | null;
    try {
      user = note ? (JSON.parse(note) as User) : null;
    } catch {
      user = null;
    }
    if (user !== null && typeof user === 'object')
      users.set(distinct[i]!, user);
    else wanted.push(String(distinct[i]));
  }

  if (wanted.length > 0) {
    const result = await stores.db.query<User>(
      'SELECT id, name, email FROM users WHERE id = ANY($1::bigint[])',
      [wanted],
    );
    const fills: Promise<unknown>[] = [];
    for (const user of result.rows) {
      users.set(user.id, user);
      fills.push(
        stores.cache.sendCommand([
          'SET',
          'user:' + user.id,
          JSON.stringify(user),
          'EX',
          '300',
        ]),
      );
    }
    await Promise.all(fills);
  }
  return ids.map((id) => users.get(id) ?? null);
}
