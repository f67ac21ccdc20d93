// right: every fill in one Lua script (keys, values and TTL as arguments), the rows as json_agg
import type { Stores, User } from '../../../../lib/stores.ts';

const FILL_ALL = `
for i, key in ipairs(KEYS) do
  redis.call('SET', key, ARGV[i + 1], 'EX', ARGV[1])
end
return #KEYS`;

export async function getUsers(
  stores: Stores,
  ids: readonly number[],
): Promise<(User | null)[]> {
  if (ids.length === 0) return [];
  const raw = await stores.cache.mGet(
    ids.map((id) => `user:${id}`),
  );
  const known = new Map<number, User>();
  const missing = new Set<number>();
  ids.forEach((id, i) => {
    const text = raw[i];
    if (text !== null && text !== undefined) {
      try {
        known.set(id, JSON.parse(text));
        return;
      } catch {
        // fall through: a miss
      }
    }
    missing.add(id);
  });
  if (missing.size === 0) return ids.map((id) => known.get(id)!);

  const { rows } = await stores.db.query<{ users: User[] | null }>(
    `SELECT json_agg(json_build_object(
              'id', id, 'name', name, 'email', email)) AS users
       FROM users WHERE id = ANY($1)`,
    [Array.from(missing)],
  );
  const users = rows[0]?.users ?? [];
  if (users.length > 0) {
    for (const user of users) known.set(user.id, user);
    await stores.cache.eval(FILL_ALL, {
      keys: users.map((u) => `user:${u.id}`),
      arguments: ['300', ...users.map((u) => JSON.stringify(u))],
    });
  }
  return ids.map((id) => known.get(id) ?? null);
}
